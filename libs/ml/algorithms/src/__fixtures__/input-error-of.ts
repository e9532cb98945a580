/** The code and argument of the error `fn` throws (an MlInputError, for the input-error specs); fails if it returns. */
export function inputErrorOf(fn: () => unknown): { code: string; argument: string } {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, argument: (e as { argument: string }).argument };
  }
  throw new Error('expected a throw');
}
