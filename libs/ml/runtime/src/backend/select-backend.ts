import { BACKEND_NAMES, type BackendInfo, type BackendSetting, type SelectBackendOptions } from './backend-info';
import { BackendErrorCode, BackendSelectionError, invalidSettingMessage } from './backend.errors';
import { BackendSelector } from './backend-selector';

const processSelector = new BackendSelector();

/**
 * Selects this process's TensorFlow.js backend (once; later calls return the same BackendInfo).
 * Call it before building any model.
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  return processSelector.select(options);
}

/** The selected backend for `/health`; undefined until `selectBackend` has finished. */
export function getBackendInfo(): BackendInfo | undefined {
  return processSelector.current();
}

/** Parses a backend setting such as `SLIPWAY_TF_BACKEND`: empty or missing means auto. */
export function parseBackendSetting(value: string | undefined): BackendSetting {
  const normalised = (value ?? '').trim().toLowerCase();
  if (normalised === '' || normalised === 'auto') return 'auto';
  const known = BACKEND_NAMES.find((name) => name === normalised);
  if (!known) throw new BackendSelectionError(BackendErrorCode.InvalidSetting, invalidSettingMessage(value ?? ''));
  return known;
}
