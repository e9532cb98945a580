// webhooks contracts: request/response zod schemas shared by API, console and CLI.
export * from './webhook.contract';
