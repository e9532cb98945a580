export * from './net/free-port';
export * from './net/local-http-server';
export * from './polling/wait-for';
export * from './postgres/test-postgres';
export * from './postgres/use-test-database';
export * from './s3/local-s3-server';
export * from './sql/test-sql';
export * from './s3/storage-full-s3-proxy';
