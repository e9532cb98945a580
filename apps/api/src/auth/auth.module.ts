import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditController } from '../audit/audit.controller';
import { ApiTokenController } from './api-token.controller';
import { ApiTokenService } from './api-token.service';
import { AuthGuard } from './auth.guard';

@Module({
  controllers: [ApiTokenController, AuditController],
  providers: [ApiTokenService, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
