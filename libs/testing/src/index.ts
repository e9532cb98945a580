export * from './postgres/test-postgres';
export * from './postgres/use-test-database';
export * from './s3/local-s3-server';
