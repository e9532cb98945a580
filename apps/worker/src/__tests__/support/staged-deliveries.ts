import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, UnitOfWork } from '@slipway/db';

export interface StagingUnitOfWork {
  uow: UnitOfWork;
  /**
   * Records a `model_version.ready` change as the API does (audit entry and outbox rows in one transaction)
   * and returns the ids of the deliveries it staged. No job is queued for them: the after-commit hook only
   * collects the ids, as when the API's enqueue after the commit fails.
   */
  stageReady(data: Record<string, unknown>): Promise<string[]>;
}

export function connectStaging(databaseUrl: string): StagingUnitOfWork {
  let staged: string[] = [];
  const uow = UnitOfWork.connect(databaseUrl, {
    poolSize: 2,
    afterCommit: async (deliveryIds) => {
      staged = [...deliveryIds];
    },
  });
  return {
    uow,
    stageReady: async (data) => {
      staged = [];
      await uow.run(SYSTEM_ACTOR, (tx) =>
        tx.record({ action: 'model_version.ready', entity: { type: 'model_version', id: randomUUID() }, event: { name: 'model_version.ready', data } }),
      );
      return staged;
    },
  };
}
