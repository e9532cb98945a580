export * from './backend-info.contract';
