import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { OverviewController } from './overview.controller';

@Module({
  controllers: [HealthController, OverviewController],
  providers: [HealthService],
})
export class PlatformModule {}
