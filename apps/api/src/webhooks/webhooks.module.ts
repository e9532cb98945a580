import { Module } from '@nestjs/common';
import { WebhookStore, type PrismaClient } from '@slipway/db';
import { PRISMA } from '../infrastructure/tokens';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  controllers: [WebhooksController],
  providers: [{ provide: WebhookStore, useFactory: (prisma: PrismaClient) => new WebhookStore(prisma), inject: [PRISMA] }, WebhookOutbox, WebhooksService],
  exports: [WebhookOutbox],
})
export class WebhooksModule {}
