export * from './tuning-study.entity';
export * from './tuning-study.store';
