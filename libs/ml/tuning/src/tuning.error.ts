/** A search space the requested operation cannot use; `path` names the field inside the space (e.g. `lr.step`). */
export class TuningSpaceError extends Error {
  override readonly name = 'TuningSpaceError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/** Every grid point is already taken by a trial; the caller should check `gridExhausted` before suggesting. */
export class GridExhaustedError extends Error {
  override readonly name = 'GridExhaustedError';
  constructor(readonly size: number) {
    super(`all ${size} grid points are taken`);
  }
}
