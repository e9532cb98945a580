export {
  UnitOfWork,
  SYSTEM_ACTOR,
  type Change,
  type ChangeContext,
  type ReadStores,
  type Stores,
  type Transaction,
  type UnitOfWorkOptions,
} from './unit-of-work';
export { toSlipwayError } from './db-errors';
