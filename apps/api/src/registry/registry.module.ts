import { Logger, Module } from '@nestjs/common';
import type { PlatformConfig } from '@slipway/config';
import { ArtifactSigner } from '@slipway/artifacts';
import { UnitOfWork } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';
import { OBJECT_STORE, PLATFORM_CONFIG } from '../infrastructure/tokens';
import { AliasService } from './alias.service';
import { AliasesController } from './aliases.controller';
import { CompareService } from './compare.service';
import { ModelService } from './model.service';
import { ModelVersionService } from './model-version.service';
import { ModelVersionsController } from './model-versions.controller';
import { ModelsController } from './models.controller';
import { RegistryController } from './registry.controller';
import { RetentionService } from './retention.service';

@Module({
  controllers: [ModelsController, ModelVersionsController, AliasesController, RegistryController],
  providers: [
    // The platform key: created on first start (mode 0600) where SLIPWAY_SIGNING_KEY_FILE says.
    { provide: ArtifactSigner, useFactory: (config: PlatformConfig) => ArtifactSigner.loadOrCreate(config.signingKeyFile), inject: [PLATFORM_CONFIG] },
    // The same registrar the workers use, so versions registered here and by training jobs are recorded alike.
    {
      provide: ModelRegistrar,
      useFactory: (db: UnitOfWork, objects: ObjectStore, signer: ArtifactSigner) =>
        new ModelRegistrar(db, objects, signer, { logger: new Logger(ModelVersionService.name) }),
      inject: [UnitOfWork, OBJECT_STORE, ArtifactSigner],
    },
    ModelService,
    ModelVersionService,
    AliasService,
    CompareService,
    RetentionService,
  ],
  exports: [ArtifactSigner, ModelVersionService],
})
export class RegistryModule {}
