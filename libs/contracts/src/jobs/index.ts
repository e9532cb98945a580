// jobs contracts: the zod schema of each job queue's message, shared by API (sender) and worker (handler).
export * from './job-messages.contract';
