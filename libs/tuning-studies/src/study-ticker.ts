import type { UnitOfWork } from '@slipway/db';
import type { ModelRegistrar } from '@slipway/model-registry';
import type { JobQueue } from '@slipway/queue';
import { registerBestTrial } from './register-best';
import { actorForStudy } from './study-records';
import { StudyScheduler, type AdvanceOptions, type AdvanceResult, type SchedulerLogger } from './study-scheduler';

export interface StudyTickerDeps {
  uow: UnitOfWork;
  queue: JobQueue;
  /** Built on first use (it needs the signing key): only a study that completes with registerBest asks for it. */
  registrar: () => ModelRegistrar;
  logger?: SchedulerLogger;
}

/**
 * One full step of a study, as the workers take it (a `tuning-study` message, the sweep): advance() under the
 * study's lock, then, after commit, the new trials' training messages and — when the study just completed with
 * `registerBest` — the best trial's registration, outside the lock (it copies files). A registration that fails
 * is logged and left to `POST …/register-best`: the study stays COMPLETED without a version.
 */
export class StudyTicker {
  readonly scheduler: StudyScheduler;
  private readonly logger: SchedulerLogger;

  constructor(private readonly deps: StudyTickerDeps) {
    this.logger = deps.logger ?? { warn: () => undefined };
    this.scheduler = new StudyScheduler(deps.uow, this.logger);
  }

  async tick(studyId: string, options: AdvanceOptions = {}): Promise<AdvanceResult> {
    const result = await this.scheduler.advance(studyId, options);
    await this.scheduler.dispatch(this.deps.queue, result);
    if (result.registerBest) {
      const study = await this.deps.uow.read.studies.get(studyId);
      if (study)
        await registerBestTrial(this.deps.uow, this.deps.registrar(), actorForStudy(study), studyId, result.registerBest).catch((error: Error) =>
          this.logger.warn(`study ${studyId}: registering the best trial failed (POST /api/v1/studies/${studyId}/register-best retries): ${error.message}`),
        );
    }
    return result;
  }
}
