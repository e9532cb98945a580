export * from './training-job.entity';
export * from './training-job.store';
