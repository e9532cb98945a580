import { Logger, Module } from '@nestjs/common';
import { ArtifactSigner } from '@slipway/artifacts';
import { UnitOfWork } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';
import { OBJECT_STORE } from '../infrastructure/tokens';
import { RegistryModule } from '../registry/registry.module';
import { TrainingAlgorithmCatalogue } from '../training/training-algorithms';
import { TuningStudiesController } from './tuning-studies.controller';
import { TuningStudyService } from './tuning-study.service';

@Module({
  imports: [RegistryModule],
  controllers: [TuningStudiesController],
  providers: [
    TrainingAlgorithmCatalogue,
    TuningStudyService,
    {
      provide: ModelRegistrar,
      useFactory: (db: UnitOfWork, objects: ObjectStore, signer: ArtifactSigner) =>
        new ModelRegistrar(db, objects, signer, { logger: new Logger(TuningStudyService.name) }),
      inject: [UnitOfWork, OBJECT_STORE, ArtifactSigner],
    },
  ],
})
export class TuningModule {}
