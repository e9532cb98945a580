// webhooks stores and entities.
export * from './webhook.store';
