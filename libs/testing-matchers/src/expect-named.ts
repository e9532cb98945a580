import { expect } from '@jest/globals';

/**
 * `expect(actual)` that says what it checks: a failing matcher's message starts with `name`.
 * Jest's `expect` takes one argument, and a loop over services, routes or files has to tell which one
 * failed (`expectNamed(service.healthcheck, `${service.name} healthcheck`).toBeDefined()`).
 */
export function expectNamed<T>(actual: T, name: string): ReturnType<typeof expect<T>> {
  return named(expect(actual), name);
}

const CHAINS = new Set<PropertyKey>(['not', 'resolves', 'rejects']);

function named<M extends object>(matchers: M, name: string): M {
  return new Proxy(matchers, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (CHAINS.has(property) && typeof value === 'object' && value !== null) return named(value, name);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(target, args);
          if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(prefixed(error, name)));
          return result;
        } catch (error) {
          throw prefixed(error, name);
        }
      };
    },
  });
}

function prefixed(error: unknown, name: string): unknown {
  if (error instanceof Error) error.message = `${name}\n\n${error.message}`;
  return error;
}
