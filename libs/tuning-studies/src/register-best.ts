import { ErrorCode, SlipwayError, versionEvaluationOf, type RegisterAs } from '@slipway/contracts';
import type { ChangeContext, ModelVersionEntity, TuningStudyEntity, UnitOfWork } from '@slipway/db';
import type { ModelRegistrar } from '@slipway/model-registry';
import { TUNING_TAGS } from './study-records';

/** The run artifact folder a trial's model files are in (the training worker's MODEL_ARTIFACT_PATH). */
export const TRIAL_MODEL_PATH = 'model';

export interface RegisteredBest {
  version: ModelVersionEntity;
  /** false: the study had registered this version before (same model), and it is answered again. */
  created: boolean;
}

const field = (name: string, message: string) => [{ field: name, message }];

/** Another registration of this study committed its version first (the onAllocated check under the study's lock). */
class AlreadyRegistered extends Error {}

/**
 * Registers the best COMPLETED trial's model as the next version of `target.model`: the files of its job's run
 * under `model/` (what the training worker logged), the dataset's profile, the job's evaluation and input schema,
 * tags naming the study and the trial, and moves `target.alias` onto it. Lineage is the registrar's: version → run,
 * and the run is the trial's (tuning_trials.run_id) → its study.
 *
 * Once per study: asking again for the same model answers the version already registered (moving the alias
 * again when one is given); another model is a 409. Two calls at once take one version: the second finds the
 * study's `registeredVersionId` set under the study's row lock when its own number is allocated, rolls that
 * allocation back, and answers the first's.
 */
export async function registerBestTrial(
  uow: UnitOfWork,
  registrar: ModelRegistrar,
  actor: ChangeContext,
  studyId: string,
  target: RegisterAs,
): Promise<RegisteredBest> {
  const study = await uow.read.studies.get(studyId);
  if (!study) throw new SlipwayError(ErrorCode.NOT_FOUND, `No study ${studyId}`, field('params.id', 'no such study'));
  const existing = await registeredVersion(uow, study);
  if (existing) return answerExisting(registrar, actor, study, existing, target);

  const trial = study.bestTrialId ? await uow.read.studies.trial(study.bestTrialId) : null;
  if (!trial || trial.status !== 'COMPLETED' || trial.value === null)
    throw new SlipwayError(ErrorCode.CONFLICT, `Study "${study.name}" has no completed trial to register yet`, field('status', study.status));
  const job = trial.trainingJobId ? await uow.read.trainingJobs.get(trial.trainingJobId) : null;
  if (!job || job.status !== 'SUCCEEDED' || !job.runId || !job.result || !job.evaluation)
    throw new SlipwayError(
      ErrorCode.FAILED_PRECONDITION,
      `The training job of trial #${trial.number} of study "${study.name}" has no model to register (${job ? job.status : 'the job was deleted'})`,
    );
  const dataset = job.datasetId ? await uow.read.datasets.get(job.datasetId) : null;
  const metric = study.objective.metric;
  const runId = job.runId;
  try {
    const registered = await registrar.registerFromRun(
      actor,
      target.model,
      {
        runId,
        artifactPath: TRIAL_MODEL_PATH,
        description: `Best trial #${trial.number} of study ${study.name} (${metric} = ${trial.value})`,
        tags: { [TUNING_TAGS.study]: study.id, [TUNING_TAGS.studyName]: study.name.slice(0, 500), [TUNING_TAGS.trial]: String(trial.number) },
        algorithm: job.algorithm,
        framework: 'slipway',
        inputSchema: job.result.inputSchema,
        trainingProfile: dataset?.profile ?? undefined,
        evaluation: versionEvaluationOf(job.evaluation),
      },
      {
        onAllocated: async (tx, version) => {
          const locked = await tx.studies.lock(study.id);
          if (!locked) throw new SlipwayError(ErrorCode.NOT_FOUND, `No study ${studyId}`, field('params.id', 'no such study'));
          if (locked.registeredVersionId) {
            const other = await tx.versions.getById(locked.registeredVersionId);
            if (other && (other.status === 'READY' || other.status === 'PENDING_UPLOAD')) throw new AlreadyRegistered();
          }
          await tx.studies.update(study.id, { registeredVersionId: version.id });
        },
        answer: async (tx, ready) => {
          const data = {
            studyId: study.id,
            studyName: study.name,
            model: ready.modelName,
            version: ready.version,
            versionId: ready.id,
            trialId: trial.id,
            trial: trial.number,
            metric,
            value: trial.value,
            params: trial.params,
            runId,
          };
          await tx.record({
            action: 'tuning_study.register_best',
            entity: { type: 'tuning_study', id: study.id },
            after: data,
            event: { name: 'tuning_study.best_registered', data },
          });
        },
      },
    );
    if (target.alias) await registrar.setAlias(actor, target.model, target.alias, registered.version.version);
    return { version: target.alias ? ((await uow.read.versions.getById(registered.version.id)) ?? registered.version) : registered.version, created: true };
  } catch (error) {
    if (!(error instanceof AlreadyRegistered)) throw error;
    const now = await uow.read.studies.get(studyId);
    const first = now ? await registeredVersion(uow, now) : null;
    if (!now || !first) throw new SlipwayError(ErrorCode.CONFLICT, `Study "${study.name}" is being registered by another request; try again`);
    return answerExisting(registrar, actor, now, first, target);
  }
}

/** The version the study registered, while it is one that counts (READY, or still being copied). */
async function registeredVersion(uow: UnitOfWork, study: TuningStudyEntity): Promise<ModelVersionEntity | null> {
  if (!study.registeredVersionId) return null;
  const version = await uow.read.versions.getById(study.registeredVersionId);
  return version && (version.status === 'READY' || version.status === 'PENDING_UPLOAD' || version.status === 'ARCHIVED') ? version : null;
}

async function answerExisting(
  registrar: ModelRegistrar,
  actor: ChangeContext,
  study: TuningStudyEntity,
  version: ModelVersionEntity,
  target: RegisterAs,
): Promise<RegisteredBest> {
  if (version.modelName !== target.model)
    throw new SlipwayError(
      ErrorCode.CONFLICT,
      `Study "${study.name}" already registered its best trial as ${version.modelName}@${version.version}`,
      field('body.model', `already registered in ${version.modelName}`),
    );
  if (version.status === 'PENDING_UPLOAD')
    throw new SlipwayError(ErrorCode.CONFLICT, `Version ${version.version} of "${version.modelName}" is still being registered from study "${study.name}"`);
  if (target.alias && version.status === 'READY') await registrar.setAlias(actor, target.model, target.alias, version.version);
  return { version, created: false };
}
