import { ErrorCode, MAX_IMAGE_SIDE, SlipwayError, textProblem, type DatasetImageShape, type DatasetProfile } from '@slipway/contracts';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ImageBundleWriter, imageProfile, type ImageBundleHeader } from './image-bundle';

/** Most images one dataset may hold, and the largest single image file inside a zip. */
export const MAX_IMAGES = 1_000_000;
export const MAX_IMAGE_FILE_BYTES = 64 << 20;
/**
 * Decoded pixel values an image dataset may hold in all: the worker holds them as float32, so 1 GiB of memory
 * (CIFAR-10's 60,000 × 32 × 32 × 3 is 184 million).
 */
export const MAX_IMAGE_DATASET_VALUES = 1 << 28;
const MAX_SOURCE_PIXELS = 100_000_000;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A zip whose content cannot be a dataset: 422 naming the file inside it where there is one. */
export function zipError(message: string, path?: string): SlipwayError {
  const full = path === undefined ? message : `${JSON.stringify(path.slice(0, 512))}: ${message}`;
  return new SlipwayError(ErrorCode.FAILED_PRECONDITION, full, [{ field: 'body', message: full }]);
}

/** Folders and files a zip tool adds that are not part of the data (macOS resource forks, dotfiles). */
function isSidecar(segments: string[]): boolean {
  return segments[0] === '__MACOSX' || segments.some((segment) => segment.startsWith('.')) || segments[segments.length - 1] === 'Thumbs.db';
}

interface ImageEntry {
  entry: Entry;
  path: string;
  className: string;
}

async function listImages(zip: ZipFile): Promise<ImageEntry[]> {
  const images: ImageEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const path = entry.fileName;
      if (path.endsWith('/')) continue;
      const segments = path.split('/');
      if (isSidecar(segments)) continue;
      if (segments.length < 2) throw zipError('is outside a class folder: put each image in a folder named after its class (cat/1.png)', path);
      const className = segments[segments.length - 2];
      const problem =
        textProblem(className) ??
        (CONTROL.test(className) ? 'control characters are not allowed' : className.length > 256 ? 'longer than 256 characters' : null);
      if (problem) throw zipError(`its folder name cannot be a class name (${problem})`, path);
      if (entry.isEncrypted()) throw zipError('is encrypted', path);
      if (entry.uncompressedSize > MAX_IMAGE_FILE_BYTES) throw zipError(`is larger than ${MAX_IMAGE_FILE_BYTES} bytes`, path);
      if (images.length === MAX_IMAGES) throw zipError(`holds more than ${MAX_IMAGES} images`);
      images.push({ entry, path, className });
    }
  } catch (error) {
    if (error instanceof SlipwayError) throw error;
    throw zipError(`not a readable zip file (${(error as Error).message})`);
  }
  return images;
}

async function readEntry(zip: ZipFile, image: ImageEntry): Promise<Buffer> {
  try {
    const stream = await zip.openReadStreamPromise(image.entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch (error) {
    throw zipError(`cannot be extracted (${(error as Error).message})`, image.path);
  }
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A zip of class-named folders of PNG/JPEG images → an image bundle at `bundlePath`: each image decoded, alpha
 * dropped, converted to grayscale or sRGB and resized (stretched) to exactly `shape`, in (class, path) order so the
 * same images give the same bundle whatever order the zip lists them in. Refuses (422) a zip with no images, a file
 * outside a class folder, and an image that does not decode (named by its path).
 */
export async function decodeImageZip(
  zipPath: string,
  shape: DatasetImageShape,
  bundlePath: string,
): Promise<{ sha256: string; sizeBytes: number; profile: DatasetProfile; header: ImageBundleHeader }> {
  if (shape.height > MAX_IMAGE_SIDE || shape.width > MAX_IMAGE_SIDE) throw zipError(`image sides are at most ${MAX_IMAGE_SIDE} pixels`);
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw zipError(`not a readable zip file (${(error as Error).message})`);
  }
  try {
    const images = (await listImages(zip)).sort((a, b) => byCodeUnit(a.className, b.className) || byCodeUnit(a.path, b.path));
    if (images.length === 0) throw zipError('the zip holds no images (expected class folders of PNG or JPEG files)');
    if (images.length * shape.height * shape.width * shape.channels > MAX_IMAGE_DATASET_VALUES)
      throw zipError(
        `${images.length} images of ${shape.height}x${shape.width}x${shape.channels} are more than ${MAX_IMAGE_DATASET_VALUES} pixel values; declare a smaller size`,
      );
    const classes = [...new Set(images.map((image) => image.className))];
    const classIndex = new Map(classes.map((name, i) => [name, i]));
    const labels = Uint32Array.from(images, (image) => classIndex.get(image.className) as number);
    const header: ImageBundleHeader = { ...shape, count: images.length, classes, source: 'upload' };
    const writer = new ImageBundleWriter(bundlePath, header, labels);
    try {
      // Loaded here, not at import: the worker imports this library to read datasets and never decodes images.
      const sharp = (await import('sharp')).default;
      sharp.cache(false);
      for (const image of images) {
        const bytes = await readEntry(zip, image);
        let pixels: Buffer;
        try {
          const decoder = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_SOURCE_PIXELS });
          const { format } = await decoder.metadata();
          if (format !== 'png' && format !== 'jpeg') throw new Error(format ? `a ${format} image` : 'an unknown format');
          const converted = decoder.removeAlpha().toColourspace(shape.channels === 1 ? 'b-w' : 'srgb');
          // Converting to sRGB or b-w gives 8-bit values whatever the source depth (16-bit PNGs included).
          const { data, info } = await converted.resize(shape.width, shape.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
          if (info.channels !== shape.channels || data.length !== shape.height * shape.width * shape.channels)
            throw new Error(`decoded to ${data.length} values in ${info.channels} channels, not ${shape.height}x${shape.width}x${shape.channels} of 8 bits`);
          pixels = data;
        } catch (error) {
          throw zipError(`is not a decodable PNG or JPEG image (${(error as Error).message.split('\n')[0].slice(0, 200)})`, image.path);
        }
        await writer.image(pixels);
      }
      const written = await writer.finish();
      return { ...written, profile: imageProfile(header, labels), header };
    } catch (error) {
      writer.destroy();
      throw error;
    }
  } finally {
    zip.close();
  }
}
