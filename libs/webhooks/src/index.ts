export * from './webhook-signature';
export * from './deliver-webhook';
