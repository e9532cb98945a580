import { Module } from '@nestjs/common';
import { DeploymentMetricsController, DeploymentMetricsService } from './deployment-metrics.controller';
import { DeploymentService } from './deployment.service';
import { DeploymentsController } from './deployments.controller';

@Module({
  controllers: [DeploymentsController, DeploymentMetricsController],
  providers: [DeploymentService, DeploymentMetricsService],
})
export class DeploymentsModule {}
