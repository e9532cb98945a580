import { Injectable } from '@nestjs/common';
import { ErrorCode, SlipwayError, type AliasView, type ResolvedRef } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { noModel } from './model.service';
import { noVersion } from './model-version.service';
import { toAliasView, toVersionView } from './registry.views';

const noAlias = (name: string, alias: string) =>
  new SlipwayError(ErrorCode.NOT_FOUND, `Model "${name}" has no alias "${alias}"`, [{ field: 'params.alias', message: 'no such alias' }]);

/** Parses `name@alias`, `name@latest`, `name@3`, `name@v3` and `name/3`. */
export function parseModelRef(ref: string): { model: string; alias: string | null; version: number | null } {
  const slash = /^(.+)\/(\d+)$/.exec(ref);
  if (slash) return { model: slash[1], alias: null, version: Number(slash[2]) };
  const at = ref.lastIndexOf('@');
  const model = ref.slice(0, at);
  const selector = ref.slice(at + 1);
  const numbered = /^v?(\d+)$/.exec(selector);
  return numbered ? { model, alias: null, version: Number(numbered[1]) } : { model, alias: selector, version: null };
}

@Injectable()
export class AliasService {
  constructor(
    private readonly db: UnitOfWork,
    private readonly registrar: ModelRegistrar,
  ) {}

  async get(name: string, alias: string): Promise<AliasView> {
    const model = await this.db.read.models.get(name);
    if (!model) throw noModel(name);
    const found = await this.db.read.aliases.get(model.id, alias);
    if (!found) throw noAlias(name, alias);
    return toAliasView(name, alias, found.version, found.version, found.updatedAt);
  }

  /** Points the alias at a READY version (ModelRegistrar.setAlias: under the model's row lock, audited, idempotent). */
  async set(name: string, alias: string, versionNumber: number, actor: RequestActor): Promise<AliasView> {
    const moved = await inRequestFields({ model: 'params.name', version: 'body.version' }, () => this.registrar.setAlias(actor, name, alias, versionNumber));
    return toAliasView(moved.model, moved.alias, moved.version, moved.previousVersion, moved.updatedAt);
  }

  async remove(name: string, alias: string, actor: RequestActor): Promise<void> {
    await this.db.run(actor, async (tx) => {
      const model = await tx.models.lock(name);
      if (!model) throw noModel(name);
      const before = await tx.aliases.get(model.id, alias);
      if (!before) throw noAlias(name, alias);
      await tx.aliases.delete(model.id, alias);
      await tx.record({
        action: 'alias.delete',
        entity: { type: 'model_alias', id: `${name}@${alias}` },
        before: { model: name, alias, version: before.version, versionId: before.versionId },
        event: { name: 'alias.deleted', data: { model: name, alias, version: before.version } },
      });
    });
  }

  /** `modelField`: the request field that carried the model's name (the ref, or `params.name` for `resolve/name/3`). */
  async resolve(ref: string, modelField = 'params.ref'): Promise<ResolvedRef> {
    const parsed = parseModelRef(ref);
    const model = await this.db.read.models.get(parsed.model);
    if (!model) throw new SlipwayError(ErrorCode.NOT_FOUND, `No model "${parsed.model}"`, [{ field: modelField, message: 'no such model' }]);
    let version;
    if (parsed.version !== null) {
      version = await this.db.read.versions.get(model.id, parsed.version);
      if (!version) throw noVersion(parsed.model, parsed.version);
    } else if (parsed.alias === 'latest') {
      version = await this.db.read.versions.latestReady(model.id);
      if (!version)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${parsed.model}" has no READY version`, [{ field: 'params.ref', message: 'no ready version' }]);
    } else {
      const alias = await this.db.read.aliases.get(model.id, parsed.alias ?? '');
      if (!alias)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${parsed.model}" has no alias "${parsed.alias}"`, [
          { field: 'params.ref', message: 'no such alias' },
        ]);
      version = await this.db.read.versions.getById(alias.versionId);
      if (!version) throw noAlias(parsed.model, parsed.alias ?? '');
    }
    const lineage = version.runId ? await this.db.read.lineage.ofRun(version.runId) : null;
    return { ref, alias: parsed.alias, version: toVersionView(version, lineage) };
  }
}
