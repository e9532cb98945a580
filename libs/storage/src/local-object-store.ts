import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { assertSafeKey, type ObjectStore, type StoredObject } from './object-store';
import { createSha256Meter } from './sha256-meter';

/** Objects as files under one folder: the default for a laptop (`npm start` without S3 settings). */
export class LocalObjectStore implements ObjectStore {
  readonly description: string;

  constructor(private readonly rootDir: string) {
    this.description = `local folder ${rootDir}`;
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    return join(this.rootDir, ...key.split('/'));
  }

  async put(key: string, body: Readable | Buffer, _options?: { contentType?: string }): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    // Written beside the target and renamed into place, so a reader never sees a half-written object.
    const temporary = `${target}.partial-${randomBytes(6).toString('hex')}`;
    const meter = createSha256Meter();
    const file = createWriteStream(temporary);
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, meter.transform, file);
      await rename(temporary, target);
    } catch (error) {
      // A source that fails at once can end the pipeline before the file's open completes; removed before its
      // close, the file would be created afterwards and left behind.
      if (!file.closed) await new Promise<void>((closed) => file.once('close', () => closed()));
      await rm(temporary, { force: true });
      throw error;
    }
    return { key, uri: this.uriFor(key), ...meter.result() };
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await access(path, constants.R_OK);
    return createReadStream(path);
  }

  async stat(key: string): Promise<{ sizeBytes: number } | null> {
    try {
      const st = await stat(this.pathOf(key));
      return st.isFile() ? { sizeBytes: st.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<{ key: string; sizeBytes: number }> {
    const start = prefix ? this.pathOf(prefix.replace(/\/$/, '')) : this.rootDir;
    const walk = async function* (dir: string): AsyncGenerator<string> {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(full);
        else if (entry.isFile() && !entry.name.includes('.partial-')) yield full;
      }
    };
    for await (const file of walk(start)) {
      const st = await stat(file);
      yield { key: relative(this.rootDir, file).split(sep).join('/'), sizeBytes: st.size };
    }
  }

  uriFor(key: string): string {
    return pathToFileURL(this.pathOf(key)).href;
  }

  async check(): Promise<void> {
    await mkdir(this.rootDir, { recursive: true });
    await access(this.rootDir, constants.R_OK | constants.W_OK);
  }
}
