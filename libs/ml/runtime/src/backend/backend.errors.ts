import { BACKEND_NAMES } from './backend-info';

export enum BackendErrorCode {
  /** The setting names no known backend. */
  InvalidSetting = 'INVALID_BACKEND_SETTING',
  /** A forced backend, or every automatic route, failed to load. */
  Unavailable = 'BACKEND_UNAVAILABLE',
  /** The process already selected a different backend; selection happens once per process. */
  AlreadySelected = 'BACKEND_ALREADY_SELECTED',
}

export class BackendSelectionError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackendSelectionError';
  }
}

export function invalidSettingMessage(value: string): string {
  return `unknown TensorFlow.js backend "${value}": expected auto or one of ${BACKEND_NAMES.join(', ')}`;
}
