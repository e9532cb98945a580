// experiments contracts: request/response zod schemas shared by API, console and CLI.
export * from './run-filter';
export * from './experiment.contract';
export * from './run.contract';
