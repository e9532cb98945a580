import { z } from 'zod';
import { int32, nameText, text } from '../common/primitives';

/** Largest side and channel counts an image dataset may declare. */
export const MAX_IMAGE_SIDE = 512;
export const IMAGE_CHANNELS = [1, 3] as const;

/** `HxWxC` as an upload declares it, e.g. `32x32x3` (height × width × channels; 1 = grayscale, 3 = RGB). */
export const imageSizeTextSchema = text({ max: 16 })
  .regex(/^[1-9]\d{0,2}x[1-9]\d{0,2}x[13]$/, 'height x width x channels, e.g. 32x32x3 (channels 1 or 3)')
  .refine(
    (value) =>
      value
        .split('x')
        .slice(0, 2)
        .every((side) => Number(side) <= MAX_IMAGE_SIDE),
    `sides are at most ${MAX_IMAGE_SIDE} pixels`,
  );

export const datasetImageShapeSchema = z
  .object({ height: int32(1, MAX_IMAGE_SIDE), width: int32(1, MAX_IMAGE_SIDE), channels: z.union([z.literal(1), z.literal(3)]) })
  .strict();
export type DatasetImageShape = z.infer<typeof datasetImageShapeSchema>;

export function parseImageSize(value: string): DatasetImageShape {
  const [height, width, channels] = value.split('x').map(Number);
  return { height, width, channels: channels as 1 | 3 };
}

/**
 * `preprocessing.json` of an image model: how a request image becomes the model's input, as the training images
 * did — decoded, alpha dropped, converted to grayscale (1 channel) or sRGB (3), resized to exactly height × width
 * (stretched, `fill`), pixels as their 0..255 values in NHWC order (the CNN standardises channels itself).
 */
export const imagePreprocessingSchema = z
  .object({
    format: z.literal('slipway.preprocessing'),
    formatVersion: z.literal(1),
    kind: z.literal('images'),
    shape: datasetImageShapeSchema,
    resize: z.literal('fill'),
    /** Class names (the folders of the upload) in sorted order. */
    classes: z.array(nameText(256)).min(1).max(10_000),
    images: int32(0),
    /** Where the pixels came from: `upload` (decoded from PNG/JPEG) or a built-in sample's own values. */
    source: text({ max: 64 }),
  })
  .strict();
export type ImagePreprocessing = z.infer<typeof imagePreprocessingSchema>;
