/** Injection tokens for the process-wide resources the infrastructure module provides. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const OBJECT_STORE = Symbol('OBJECT_STORE');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
