import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { requireDatabaseUrl, type PlatformConfig } from '@slipway/config';
import { UnitOfWork } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { createObjectStore } from '@slipway/storage';
import { JOB_QUEUE, OBJECT_STORE, PLATFORM_CONFIG } from './tokens';

class ResourceLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.stop(5_000).catch(() => undefined);
    await this.unitOfWork.close();
  }
}

/**
 * After a change commits, one queue message per webhook delivery it staged, for the workers to send. A
 * failed send leaves the delivery PENDING with no attempts: visible in its history, re-sent by the outbox relay.
 */
async function enqueueDeliveries(queue: JobQueue, deliveryIds: readonly string[], logger: Logger): Promise<void> {
  for (const deliveryId of deliveryIds) {
    try {
      await queue.send(QueueName.WebhookDelivery, { deliveryId }, { singletonKey: deliveryId });
    } catch (error) {
      logger.warn(`could not queue webhook delivery ${deliveryId}: ${(error as Error).message}`);
    }
  }
}

/** The database (through its unit of work), the queue and the object store: created once per process, closed on shutdown. */
@Global()
@Module({})
export class InfrastructureModule {
  static forConfig(config: PlatformConfig): DynamicModule {
    const queueLogger = new Logger('JobQueue');
    const outboxLogger = new Logger('WebhookOutbox');
    return {
      module: InfrastructureModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: OBJECT_STORE, useFactory: () => createObjectStore(config.objectStore) },
        {
          provide: JOB_QUEUE,
          useFactory: () => JobQueue.start({ databaseUrl: requireDatabaseUrl(config), onError: (error) => queueLogger.error(error.message) }),
        },
        {
          provide: UnitOfWork,
          useFactory: (queue: JobQueue) =>
            UnitOfWork.connect(requireDatabaseUrl(config), { afterCommit: (deliveryIds) => enqueueDeliveries(queue, deliveryIds, outboxLogger) }),
          inject: [JOB_QUEUE],
        },
        ResourceLifecycle,
      ],
      exports: [PLATFORM_CONFIG, OBJECT_STORE, JOB_QUEUE, UnitOfWork],
    };
  }
}
