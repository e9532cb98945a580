import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { ErrorCode, SlipwayError, type DatasetImageShape, type DatasetProfile, type ImagePreprocessing } from '@slipway/contracts';
import type { ImageTrainingData } from '@slipway/ml-algorithms';
import type { ByteSource } from './spool';

/**
 * The stored file of an image dataset (`images.bin`): the images decoded and resized once at upload, so training
 * never decodes again and the same images at the same size are the same bytes (and the same sha256).
 *
 *   line 1   `slipway.images 1`
 *   line 2   JSON `{ height, width, channels, count, classes, source }` (classes sorted)
 *   count × uint32 LE   class index of each image
 *   count × height × width × channels uint8   pixels, NHWC, images in the order of their labels
 */
export const IMAGE_BUNDLE_MAGIC = 'slipway.images 1';

export interface ImageBundleHeader extends DatasetImageShape {
  count: number;
  classes: string[];
  source: string;
}

const corrupt = (message: string) => new SlipwayError(ErrorCode.FAILED_PRECONDITION, `the stored image dataset is unreadable: ${message}`);

/** Streams a bundle to `path`, hashing it; the caller writes the pixels of each image in label order. */
export class ImageBundleWriter {
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private readonly perImage: number;
  private written = 0;
  private sizeBytes = 0;
  private readonly failed: Promise<never>;

  constructor(
    path: string,
    private readonly header: ImageBundleHeader,
    labels: Uint32Array,
  ) {
    this.out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.failed = new Promise<never>((_, reject) => this.out.once('error', reject));
    this.failed.catch(() => undefined);
    this.perImage = header.height * header.width * header.channels;
    const { height, width, channels, count, classes, source } = header;
    void this.write(Buffer.from(`${IMAGE_BUNDLE_MAGIC}\n${JSON.stringify({ height, width, channels, count, classes, source })}\n`));
    const labelBytes = Buffer.alloc(count * 4);
    labels.forEach((label, i) => labelBytes.writeUInt32LE(label, i * 4));
    void this.write(labelBytes);
  }

  async image(pixels: Uint8Array): Promise<void> {
    if (pixels.length !== this.perImage) throw new Error(`an image of ${pixels.length} values, expected ${this.perImage}`);
    this.written++;
    await this.write(pixels);
  }

  async finish(): Promise<{ sha256: string; sizeBytes: number }> {
    if (this.written !== this.header.count) throw new Error(`${this.written} images written, the header says ${this.header.count}`);
    await Promise.race([new Promise<void>((resolve) => this.out.end(() => resolve())), this.failed]);
    return { sha256: this.hash.digest('hex'), sizeBytes: this.sizeBytes };
  }

  destroy(): void {
    this.out.destroy();
  }

  private async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.sizeBytes += chunk.length;
    if (!this.out.write(chunk)) await Promise.race([new Promise<void>((resolve) => this.out.once('drain', () => resolve())), this.failed]);
  }
}

/** The profile of an image dataset: how many images, their size, and the class balance. */
export function imageProfile(header: ImageBundleHeader, labels: ArrayLike<number>): DatasetProfile {
  const counts = new Array<number>(header.classes.length).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return {
    rowCount: header.count,
    columns: [],
    format: 'images',
    images: { height: header.height, width: header.width, channels: header.channels, count: header.count },
    classBalance: header.classes.map((value, c) => ({ value, count: counts[c] })),
  };
}

export interface TrainingImages {
  /** Pixels as float32 0..255 (NHWC) and each image's class name as its label (the ML libs' label map encodes them). */
  data: ImageTrainingData;
  classes: string[];
  /** What the worker writes as `preprocessing.json`: how a request image must be decoded and resized to match these. */
  preprocessing: ImagePreprocessing;
  count: number;
}

/** Reads a stored image dataset (`images.bin`, streamed) into the CNN's training data. */
export async function readTrainingImages(bytes: ByteSource): Promise<TrainingImages> {
  let pending: Buffer = Buffer.alloc(0);
  let header: ImageBundleHeader | null = null;
  let labels: string[] = [];
  let pixels: Float32Array | null = null;
  let filled = 0;
  let labelsRead = false;
  for await (const piece of bytes as AsyncIterable<Uint8Array | string>) {
    let chunk: Buffer = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (!labelsRead) {
      pending = Buffer.concat([pending, chunk]);
      if (header === null) {
        const first = pending.indexOf(10);
        const second = first < 0 ? -1 : pending.indexOf(10, first + 1);
        if (second < 0) {
          if (pending.length > 1 << 26) throw corrupt('no header');
          continue;
        }
        if (pending.subarray(0, first).toString('utf8') !== IMAGE_BUNDLE_MAGIC) throw corrupt(`not a ${IMAGE_BUNDLE_MAGIC} file`);
        try {
          header = JSON.parse(pending.subarray(first + 1, second).toString('utf8')) as ImageBundleHeader;
        } catch {
          throw corrupt('its header is not JSON');
        }
        pending = pending.subarray(second + 1);
      }
      const h = header;
      if (pending.length < h.count * 4) continue;
      labels = Array.from({ length: h.count }, (_, i) => {
        const label = pending.readUInt32LE(i * 4);
        if (label >= h.classes.length) throw corrupt(`image ${i} has class index ${label} of ${h.classes.length}`);
        return h.classes[label];
      });
      pixels = new Float32Array(h.count * h.height * h.width * h.channels);
      labelsRead = true;
      chunk = pending.subarray(h.count * 4);
      pending = Buffer.alloc(0);
    }
    const target = pixels as Float32Array;
    if (filled + chunk.length > target.length) throw corrupt('more pixels than its header says');
    for (let i = 0; i < chunk.length; i++) target[filled + i] = chunk[i];
    filled += chunk.length;
  }
  if (!header || !labelsRead || filled !== (pixels as Float32Array).length) throw corrupt('it ends early');
  const { height, width, channels, count, classes, source } = header;
  return {
    data: { kind: 'images', images: { data: pixels as Float32Array, count, height, width, channels }, labels },
    classes,
    count,
    preprocessing: {
      format: 'slipway.preprocessing',
      formatVersion: 1,
      kind: 'images',
      shape: { height, width, channels: channels as 1 | 3 },
      resize: 'fill',
      classes,
      images: count,
      source,
    },
  };
}

/** A whole bundle in memory, for sets small enough to hold (the built-in digits: 1,797 images of 8×8). */
export function encodeImageBundle(header: ImageBundleHeader, labels: ArrayLike<number>, pixels: Uint8Array): Buffer {
  const { height, width, channels, count, classes, source } = header;
  if (labels.length !== count || pixels.length !== count * height * width * channels) throw new Error('labels and pixels must match the header');
  const labelBytes = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) labelBytes.writeUInt32LE(labels[i], i * 4);
  return Buffer.concat([
    Buffer.from(`${IMAGE_BUNDLE_MAGIC}\n${JSON.stringify({ height, width, channels, count, classes, source })}\n`),
    labelBytes,
    Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength),
  ]);
}
