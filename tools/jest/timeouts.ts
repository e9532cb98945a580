/**
 * Test and hook timeouts, per project (loaded through `setupFilesAfterEnv`).
 *
 * Jest's `testTimeout` is a run-wide option: in a multi-project run (`npx jest <file>` from the root) a
 * project's own value would be ignored, so the preset passes it in `globals` and it is applied here
 * for each test file. Hooks get a longer default than tests, as they had under Vitest: a `beforeAll`
 * that boots the API or trains a reference model legitimately takes longer than one test should. A
 * hook or test that names its own timeout keeps it. This must run before any spec reads the hooks from
 * `@jest/globals` (Jest caches them on first read), which setupFilesAfterEnv guarantees.
 */
import { jest } from '@jest/globals';
import { TIMEOUTS_GLOBAL, type Timeouts } from './timeouts-global';

const scope = globalThis as unknown as Record<string, unknown>;
const timeouts = scope[TIMEOUTS_GLOBAL] as Timeouts | undefined;
if (timeouts) {
  jest.setTimeout(timeouts.testMs);
  type Hook = (fn: (...args: never[]) => unknown, timeout?: number) => void;
  for (const name of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) {
    const original = scope[name] as Hook;
    scope[name] = ((fn, timeout) => original(fn, timeout ?? timeouts.hookMs)) satisfies Hook;
  }
}
