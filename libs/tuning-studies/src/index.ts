// Tuning studies' orchestration, shared by the API (start/stop/resume, register-best) and the workers (the
// tuning-study queue, the sweep, the training attempt's pruning hook): see README "Tuning studies: how trials run".
export * from './study-records';
export * from './study-scheduler';
export * from './study-ticker';
export * from './register-best';
export * from './trial-pruner';
