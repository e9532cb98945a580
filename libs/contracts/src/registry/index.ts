// registry contracts: request/response zod schemas shared by API, console and CLI.
export * from './registry-names.contract';
export * from './model.contract';
export * from './model-version.contract';
export * from './compare.contract';
export * from './retention.contract';
