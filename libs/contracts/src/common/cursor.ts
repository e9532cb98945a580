import { z } from 'zod';
import { ErrorCode, SlipwayError } from '../errors/error-code';

/**
 * The one page-cursor format of every paginated list: base64url of `{ v, k, p }` — the format version, the
 * kind of list it belongs to and the list's own keyset payload, validated by a zod schema on the way back in.
 * Clients treat it as opaque; the version lets the payload change without old cursors being misread.
 */
export const CURSOR_FORMAT_VERSION = 1;

/** What a query or body carries as `cursor`: the previous page's `nextCursor`, as given. */
export const cursorSchema = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor from this API');

const envelopeSchema = z.object({ v: z.literal(CURSOR_FORMAT_VERSION), k: z.string(), p: z.unknown() }).strict();

/**
 * A cursor this list did not make: INVALID_ARGUMENT on the domain field `cursor`; the API renames the field
 * to where the request carried it (`query.cursor`, `body.cursor`).
 */
export class InvalidCursorError extends SlipwayError {
  constructor(readonly reason: string) {
    super(ErrorCode.INVALID_ARGUMENT, `Invalid cursor: ${reason}`, [{ field: 'cursor', message: reason }]);
    this.name = 'InvalidCursorError';
  }
}

export interface CursorCodec<T> {
  encode(payload: T): string;
  /** The payload; throws InvalidCursorError for anything `encode` of this codec did not make. */
  decode(cursor: string): T;
}

/** A codec for one kind of list (`kind` keeps a cursor of one list from being replayed on another). */
export function cursorCodec<S extends z.ZodType>(kind: string, payload: S): CursorCodec<z.infer<S>> {
  return {
    encode: (value) => Buffer.from(JSON.stringify({ v: CURSOR_FORMAT_VERSION, k: kind, p: value }), 'utf8').toString('base64url'),
    decode: (cursor) => {
      let raw: unknown;
      try {
        raw = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
      } catch {
        raw = undefined;
      }
      const envelope = envelopeSchema.safeParse(raw);
      if (!envelope.success || envelope.data.k !== kind) throw new InvalidCursorError('not a cursor from this API');
      const parsed = payload.safeParse(envelope.data.p);
      if (!parsed.success) throw new InvalidCursorError('not a cursor from this API');
      return parsed.data;
    },
  };
}
