import { Module } from '@nestjs/common';
import type { PlatformConfig } from '@slipway/config';
import { ArtifactSigner } from '@slipway/artifacts';
import { PLATFORM_CONFIG } from '../infrastructure/tokens';
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
    ModelService,
    ModelVersionService,
    AliasService,
    CompareService,
    RetentionService,
  ],
  exports: [ArtifactSigner, ModelVersionService],
})
export class RegistryModule {}
