// The API's HTTP specs reach the test database through the shared helper; this name is kept for their imports.
export { connectTestSql as connectSql, type TestSql } from '@slipway/testing';
