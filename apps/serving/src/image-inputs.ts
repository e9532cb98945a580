import { ErrorCode, SlipwayError } from '@slipway/contracts';

/** What an image model takes (its preprocessing.json `shape`). */
export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** Pixel values as the image preprocessing defines them (decoded 8-bit values, 0..255, NHWC). */
const PIXEL_MIN = 0;
const PIXEL_MAX = 255;

function bad(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${field} ${message}`, [{ field, message }]);
}

export const describeShape = ({ height, width, channels }: ImageShape): string =>
  `${height}×${width}×${channels} images (nested [${height}][${width}][${channels}] arrays${channels === 1 ? ` or [${height}][${width}]` : ''}, or ${height * width * channels} numbers in a row)`;

/** The shape a value has, following first elements (`[7, 8, 1]`), for saying what came instead. */
function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let at: unknown = value;
  while (Array.isArray(at) && shape.length < 8) {
    shape.push(at.length);
    at = at[0];
  }
  return shape;
}

function pixel(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= PIXEL_MIN && value <= PIXEL_MAX))
    throw bad(field, `must be a pixel value, a number in ${PIXEL_MIN}..${PIXEL_MAX}`);
  return value;
}

/**
 * Request images → the model's NHWC pixels. Each image is H nested arrays of W pixels of C values (H×W for one
 * channel also), or one flat row of H*W*C values; anything else is a 400 naming the image (`<field>.3`) and the
 * shape the model takes, a bad value one naming its position (`<field>.3.2.5.0`).
 */
export function readImageRows(rows: readonly unknown[], shape: ImageShape, field: string): Float32Array {
  const { height, width, channels } = shape;
  const perImage = height * width * channels;
  const out = new Float32Array(rows.length * perImage);
  const wrongShape = (r: number, row: unknown) =>
    bad(`${field}.${r}`, `has shape [${shapeOf(row).join(', ')}]${Array.isArray(row) ? '' : ' (not an array)'}; the model takes ${describeShape(shape)}`);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const base = r * perImage;
    if (!Array.isArray(row)) throw wrongShape(r, row);
    if (row.length === perImage && (perImage !== height || !Array.isArray(row[0]))) {
      for (let i = 0; i < perImage; i++) out[base + i] = pixel(row[i], `${field}.${r}.${i}`);
      continue;
    }
    if (row.length !== height) throw wrongShape(r, row);
    for (let y = 0; y < height; y++) {
      const line: unknown = row[y];
      if (!Array.isArray(line) || line.length !== width) throw wrongShape(r, row);
      for (let x = 0; x < width; x++) {
        const cell: unknown = line[x];
        const at = base + (y * width + x) * channels;
        if (Array.isArray(cell)) {
          if (cell.length !== channels) throw wrongShape(r, row);
          for (let c = 0; c < channels; c++) out[at + c] = pixel(cell[c], `${field}.${r}.${y}.${x}.${c}`);
        } else if (channels === 1) out[at] = pixel(cell, `${field}.${r}.${y}.${x}`);
        else throw wrongShape(r, row);
      }
    }
  }
  return out;
}
