import { SingleBar } from 'cli-progress';
import type { Writable } from 'node:stream';
import { formatBytes } from './table';

export interface UploadProgress {
  update(file: string, bytes: number, totalBytes: number | null): void;
  stop(): void;
}

/** One bar per file on stderr (stdout stays clean for tables and JSON); nothing when progress is off. */
export function uploadProgress(stream: Writable, enabled: boolean, options: { noTTYOutput?: boolean } = {}): UploadProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  let bar: SingleBar | undefined;
  let current: string | undefined;
  return {
    update(file, bytes, totalBytes) {
      if (file !== current) {
        bar?.stop();
        current = file;
        bar = new SingleBar({
          stream: stream as unknown as NodeJS.WriteStream,
          noTTYOutput: options.noTTYOutput ?? false,
          format: `${file} [{bar}] {percentage}% {done}/{size}`,
          hideCursor: true,
          clearOnComplete: false,
        });
        bar.start(totalBytes ?? 0, 0, { done: formatBytes(0), size: formatBytes(totalBytes) });
      }
      bar?.update(bytes, { done: formatBytes(bytes), size: formatBytes(totalBytes) });
    },
    stop() {
      bar?.stop();
    },
  };
}
