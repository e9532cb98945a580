import { Logger, Module } from '@nestjs/common';
import { ArtifactSigner } from '@slipway/artifacts';
import { UnitOfWork } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';
import { OBJECT_STORE } from '../infrastructure/tokens';
import { RegistryModule } from '../registry/registry.module';
import { TrainingAlgorithmCatalogue } from './training-algorithms';
import { TrainingJobService } from './training-job.service';
import { TrainingJobsController } from './training-jobs.controller';

@Module({
  imports: [RegistryModule],
  controllers: [TrainingJobsController],
  providers: [
    TrainingAlgorithmCatalogue,
    TrainingJobService,
    {
      provide: ModelRegistrar,
      useFactory: (db: UnitOfWork, objects: ObjectStore, signer: ArtifactSigner) =>
        new ModelRegistrar(db, objects, signer, { logger: new Logger(TrainingJobService.name) }),
      inject: [UnitOfWork, OBJECT_STORE, ArtifactSigner],
    },
  ],
})
export class TrainingModule {}
