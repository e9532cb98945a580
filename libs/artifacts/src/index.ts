export * from './manifest';
export * from './signing-key';
export * from './verification';
