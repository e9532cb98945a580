import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { requireDatabaseUrl, type PlatformConfig } from '@slipway/config';
import { ApiTokenStore, AuditLogStore, createPrismaClient, OverviewStore, WorkerStore, type PrismaClient } from '@slipway/db';
import { JobQueue } from '@slipway/queue';
import { createObjectStore } from '@slipway/storage';
import { JOB_QUEUE, OBJECT_STORE, PLATFORM_CONFIG, PRISMA } from './tokens';

class ResourceLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.stop(5_000).catch(() => undefined);
    await this.prisma.$disconnect();
  }
}

/** The database, the queue and the object store: created once per process, closed on shutdown. */
@Global()
@Module({})
export class InfrastructureModule {
  static forConfig(config: PlatformConfig): DynamicModule {
    const logger = new Logger('JobQueue');
    return {
      module: InfrastructureModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: PRISMA, useFactory: () => createPrismaClient(requireDatabaseUrl(config)) },
        { provide: OBJECT_STORE, useFactory: () => createObjectStore(config.objectStore) },
        {
          provide: JOB_QUEUE,
          useFactory: () => JobQueue.start({ databaseUrl: requireDatabaseUrl(config), onError: (error) => logger.error(error.message) }),
        },
        { provide: WorkerStore, useFactory: (prisma: PrismaClient) => new WorkerStore(prisma), inject: [PRISMA] },
        { provide: OverviewStore, useFactory: (prisma: PrismaClient) => new OverviewStore(prisma), inject: [PRISMA] },
        { provide: ApiTokenStore, useFactory: (prisma: PrismaClient) => new ApiTokenStore(prisma), inject: [PRISMA] },
        { provide: AuditLogStore, useFactory: (prisma: PrismaClient) => new AuditLogStore(prisma), inject: [PRISMA] },
        ResourceLifecycle,
      ],
      exports: [PLATFORM_CONFIG, PRISMA, OBJECT_STORE, JOB_QUEUE, WorkerStore, OverviewStore, ApiTokenStore, AuditLogStore],
    };
  }
}
