import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SlipwayError, type AliasView, type ResolvedRef } from '@slipway/contracts';
import { AuditLogStore, RegistryStore, type PrismaClient } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { PRISMA } from '../infrastructure/tokens';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { noModel } from './model.service';
import { noVersion } from './model-version.service';
import { registryTransaction } from './registry.transaction';
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
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly registry: RegistryStore,
    private readonly audit: AuditLogStore,
    private readonly outbox: WebhookOutbox,
  ) {}

  async get(name: string, alias: string): Promise<AliasView> {
    const model = await this.registry.getModel(name);
    if (!model) throw noModel(name);
    const found = await this.registry.getAlias(model.id, alias);
    if (!found) throw noAlias(name, alias);
    return toAliasView(name, alias, found.version, found.version, found.updatedAt);
  }

  /**
   * Points the alias at a READY version. Under the model's row lock, so concurrent moves apply one after
   * another and each audit entry's `before` is the previous move's `after`. Pointing it where it already
   * points changes and records nothing.
   */
  async set(name: string, alias: string, versionNumber: number, actor: RequestActor): Promise<AliasView> {
    const { view, deliveries } = await registryTransaction(this.prisma, async (tx) => {
      const model = await this.registry.lockModel(name, tx);
      if (!model) throw noModel(name);
      const target = await this.registry.getVersion(model.id, versionNumber, tx);
      if (!target)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${name}" has no version ${versionNumber}`, [{ field: 'body.version', message: 'no such version' }]);
      if (target.status !== 'ready')
        throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `Version ${versionNumber} of "${name}" is ${target.status}; aliases point at READY versions`, [
          { field: 'body.version', message: `version is ${target.status}` },
        ]);
      const before = await this.registry.getAlias(model.id, alias, tx);
      if (before?.versionId === target.id) return { view: toAliasView(name, alias, target.version, before.version, before.updatedAt), deliveries: [] };
      const after = await this.registry.setAlias(model.id, alias, target.id, tx);
      await this.audit.record(
        {
          actor,
          action: before ? 'alias.move' : 'alias.set',
          entityType: 'model_alias',
          entityId: `${name}@${alias}`,
          before: before ? { model: name, alias, version: before.version, versionId: before.versionId } : undefined,
          after: { model: name, alias, version: after.version, versionId: after.versionId },
          requestId: actor.requestId,
        },
        tx,
      );
      const deliveries = await this.outbox.stage(tx, 'alias.moved', {
        model: name,
        alias,
        fromVersion: before?.version ?? null,
        toVersion: after.version,
        versionId: after.versionId,
        actor: actor.name,
      });
      return { view: toAliasView(name, alias, after.version, before?.version ?? null, after.updatedAt), deliveries };
    });
    await this.outbox.dispatch(deliveries);
    return view;
  }

  async remove(name: string, alias: string, actor: RequestActor): Promise<void> {
    const deliveries = await registryTransaction(this.prisma, async (tx) => {
      const model = await this.registry.lockModel(name, tx);
      if (!model) throw noModel(name);
      const before = await this.registry.getAlias(model.id, alias, tx);
      if (!before) throw noAlias(name, alias);
      await this.registry.deleteAlias(model.id, alias, tx);
      await this.audit.record(
        {
          actor,
          action: 'alias.delete',
          entityType: 'model_alias',
          entityId: `${name}@${alias}`,
          before: { model: name, alias, version: before.version, versionId: before.versionId },
          requestId: actor.requestId,
        },
        tx,
      );
      return this.outbox.stage(tx, 'alias.deleted', { model: name, alias, version: before.version, actor: actor.name });
    });
    await this.outbox.dispatch(deliveries);
  }

  async resolve(ref: string): Promise<ResolvedRef> {
    const parsed = parseModelRef(ref);
    const model = await this.registry.getModel(parsed.model);
    if (!model) throw new SlipwayError(ErrorCode.NOT_FOUND, `No model "${parsed.model}"`, [{ field: 'params.ref', message: 'no such model' }]);
    let version;
    if (parsed.version !== null) {
      version = await this.registry.getVersion(model.id, parsed.version);
      if (!version) throw noVersion(parsed.model, parsed.version);
    } else if (parsed.alias === 'latest') {
      version = await this.registry.latestReadyVersion(model.id);
      if (!version)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${parsed.model}" has no READY version`, [{ field: 'params.ref', message: 'no ready version' }]);
    } else {
      const alias = await this.registry.getAlias(model.id, parsed.alias ?? '');
      if (!alias)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${parsed.model}" has no alias "${parsed.alias}"`, [
          { field: 'params.ref', message: 'no such alias' },
        ]);
      version = await this.registry.getVersionById(alias.versionId);
      if (!version) throw noAlias(parsed.model, parsed.alias ?? '');
    }
    const lineage = version.runId ? (await this.registry.lineage([version.runId])).get(version.runId) : undefined;
    return { ref, alias: parsed.alias, version: toVersionView(version, lineage ?? null) };
  }
}
