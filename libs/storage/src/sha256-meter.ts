import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** A pass-through that hashes and counts what flows through it: content hashes are computed on the way in, never by a second read. */
export function createSha256Meter(): { transform: Transform; result: () => { sha256: string; sizeBytes: number } } {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  return { transform, result: () => ({ sha256: hash.digest('hex'), sizeBytes }) };
}
