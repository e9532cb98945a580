/** The `globals` entry through which the preset hands a project's timeouts to timeouts.ts. */
export const TIMEOUTS_GLOBAL = '__slipwayTimeouts';

export interface Timeouts {
  testMs: number;
  hookMs: number;
}
