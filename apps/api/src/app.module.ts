import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ZodSerializerInterceptor } from 'nestjs-zod';
import type { PlatformConfig } from '@slipway/config';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ZodRequestValidationPipe } from './common/zod-validation.pipe';
import { ExperimentsModule } from './experiments/experiments.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { RegistryModule } from './registry/registry.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { PlatformModule } from './platform/platform.module';
import { DatasetsModule } from './datasets/datasets.module';
import { TrainingModule } from './training/training.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { TuningModule } from './tuning/tuning.module';

@Module({})
export class AppModule {
  static forConfig(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forConfig(config),
        AuthModule,
        PlatformModule,
        ExperimentsModule,
        RegistryModule,
        WebhooksModule,
        DatasetsModule,
        TrainingModule,
        DeploymentsModule,
        TuningModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodRequestValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ZodSerializerInterceptor },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
