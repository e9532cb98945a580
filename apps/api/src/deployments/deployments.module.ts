import { Module } from '@nestjs/common';
import { DeploymentService } from './deployment.service';
import { DeploymentsController } from './deployments.controller';

@Module({
  controllers: [DeploymentsController],
  providers: [DeploymentService],
})
export class DeploymentsModule {}
