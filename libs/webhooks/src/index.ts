export * from './webhook-signature';
export * from './deliver-webhook';
export * from './webhook-address-policy';
