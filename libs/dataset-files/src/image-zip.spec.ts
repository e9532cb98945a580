import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { ErrorCode, SlipwayError, imagePreprocessingSchema } from '@slipway/contracts';
import { train } from '@slipway/ml-algorithms';
import { readTrainingImages } from './image-bundle';
import { decodeImageZip } from './image-zip';
import { zipOf } from '@slipway/testing';

/** A solid-colour image of the given size, encoded by sharp (libvips) as PNG or JPEG. */
const solid = (rgb: [number, number, number], format: 'png' | 'jpeg', size = 6, alpha = false) =>
  sharp({ create: { width: size, height: size + 2, channels: alpha ? 4 : 3, background: { r: rgb[0], g: rgb[1], b: rgb[2], alpha: 1 } } })
    .toFormat(format)
    .toBuffer();

describe('decodeImageZip + readTrainingImages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'image-zip-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let n = 0;
  async function decode(files: Parameters<typeof zipOf>[0], shape = { height: 4, width: 4, channels: 3 as 1 | 3 }) {
    const zipPath = join(dir, `in-${++n}.zip`);
    await writeFile(zipPath, zipOf(files));
    const bundlePath = join(dir, `out-${n}.bin`);
    const result = await decodeImageZip(zipPath, shape, bundlePath);
    return { ...result, bundlePath };
  }
  async function refusal(files: Parameters<typeof zipOf>[0]): Promise<string> {
    const error = await decode(files).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).code).toBe(ErrorCode.FAILED_PRECONDITION);
    return (error as SlipwayError).message;
  }

  it('decodes PNG and JPEG from class folders, resizes to the declared size, and reads back as the CNN training data', async () => {
    const red = await solid([255, 0, 0], 'png');
    const blue = await solid([0, 0, 255], 'png', 9, true);
    const green = await solid([0, 255, 0], 'jpeg', 12);
    const files = [
      { path: 'pets/dog/b.png', bytes: blue, deflate: true },
      { path: 'pets/cat/a.png', bytes: red },
      { path: 'pets/cat/c.jpg', bytes: green },
      { path: '__MACOSX/pets/cat/._a.png', bytes: 'resource fork' },
      { path: 'pets/cat/.DS_Store', bytes: 'finder' },
      { path: 'pets/', bytes: '' },
    ];
    const result = await decode(files);
    expect(result.profile).toEqual({
      rowCount: 3,
      columns: [],
      format: 'images',
      images: { height: 4, width: 4, channels: 3, count: 3 },
      classBalance: [
        { value: 'cat', count: 2 },
        { value: 'dog', count: 1 },
      ],
    });
    const images = await readTrainingImages(createReadStream(result.bundlePath, { highWaterMark: 7 }));
    expect(images.classes).toEqual(['cat', 'dog']);
    expect(images.data.labels).toEqual(['cat', 'cat', 'dog']);
    expect(images.data.images).toMatchObject({ count: 3, height: 4, width: 4, channels: 3 });
    const pixel = (image: number, at = 5) => Array.from((images.data.images.data as Float32Array).subarray((image * 16 + at) * 3, (image * 16 + at) * 3 + 3));
    expect(pixel(0)).toEqual([255, 0, 0]);
    // JPEG is lossy: green within a few levels.
    pixel(1).forEach((value, c) => expect(Math.abs(value - [0, 255, 0][c])).toBeLessThan(8));
    expect(pixel(2)).toEqual([0, 0, 255]);
    expect(imagePreprocessingSchema.parse(images.preprocessing)).toEqual({
      format: 'slipway.preprocessing',
      formatVersion: 1,
      kind: 'images',
      shape: { height: 4, width: 4, channels: 3 },
      resize: 'fill',
      classes: ['cat', 'dog'],
      images: 3,
      source: 'upload',
    });
    // The same images in another order, another compression: the same bundle, byte for byte.
    const shuffled = await decode([files[2], { ...files[0], deflate: false }, { ...files[1], deflate: true }]);
    expect(shuffled.sha256).toBe(result.sha256);
  });

  it('reads 16-bit PNGs as 8-bit values', async () => {
    const png16 = await sharp({ create: { width: 5, height: 5, channels: 3, background: { r: 200, g: 100, b: 50 } } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const result = await decode([{ path: 'deep/a.png', bytes: png16 }], { height: 2, width: 2, channels: 3 });
    const images = await readTrainingImages(createReadStream(result.bundlePath));
    // libvips resamples in 16 bits, then converts: each value within one level of the 8-bit colour.
    const values = Array.from(images.data.images.data);
    expect(values).toHaveLength(12);
    values.forEach((value, i) => expect(Math.abs(value - [200, 100, 50][i % 3])).toBeLessThanOrEqual(1));
  });

  it('converts to one grayscale channel when declared', async () => {
    const result = await decode(
      [
        { path: 'w/white.png', bytes: await solid([255, 255, 255], 'png') },
        { path: 'k/black.png', bytes: await solid([0, 0, 0], 'png') },
      ],
      {
        height: 2,
        width: 3,
        channels: 1,
      },
    );
    const images = await readTrainingImages(createReadStream(result.bundlePath));
    expect(Array.from(images.data.images.data)).toEqual([...new Array(6).fill(0), ...new Array(6).fill(255)]);
    expect(images.data.labels).toEqual(['k', 'w']);
  });

  it('refuses a zip with no images, a file outside a class folder, an undecodable image (by its path), and bytes that are no zip', async () => {
    await expect(refusal([{ path: 'cats/', bytes: '' }])).resolves.toMatch(/holds no images/);
    await expect(refusal([{ path: 'a.png', bytes: await solid([1, 2, 3], 'png') }])).resolves.toMatch(/^"a.png": is outside a class folder/);
    await expect(
      refusal([
        { path: 'cat/a.png', bytes: await solid([1, 2, 3], 'png') },
        { path: 'cat/broken.png', bytes: 'not an image' },
      ]),
    ).resolves.toMatch(/^"cat\/broken.png": is not a decodable PNG or JPEG image/);
    const gif = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    await expect(refusal([{ path: 'cat/a.gif', bytes: gif }])).resolves.toMatch(/^"cat\/a.gif": is not a decodable PNG or JPEG image \(a gif image\)/);
    const zipPath = join(dir, 'not-a-zip.zip');
    await writeFile(zipPath, 'plain text');
    await expect(decodeImageZip(zipPath, { height: 2, width: 2, channels: 3 }, join(dir, 'never.bin'))).rejects.toThrow(/not a readable zip file/);
    expect((await readdir(dir)).filter((f) => f.startsWith('never'))).toEqual([]);
  });

  it('refuses a stored bundle that is cut short or not a bundle', async () => {
    const result = await decode([{ path: 'x/a.png', bytes: await solid([9, 9, 9], 'png') }]);
    const whole = await readTrainingImages(createReadStream(result.bundlePath));
    expect(whole.count).toBe(1);
    await expect(
      readTrainingImages([Buffer.from('slipway.images 1\n{"height":1,"width":1,"channels":1,"count":2,"classes":["a"],"source":"upload"}\n')]),
    ).rejects.toThrow(/ends early/);
    await expect(readTrainingImages([Buffer.from('a,b\n1,2\n')])).rejects.toThrow(/unreadable/);
  });

  it('feeds the CNN: images of two classes from a zip train a classifier that names them by folder', async () => {
    const files: Parameters<typeof zipOf>[0] = [];
    for (let i = 0; i < 24; i++) {
      files.push({ path: `dark/${i}.png`, bytes: await solid([10 + i, 10 + i, 10 + i], 'png', 8) });
      files.push({ path: `light/${i}.png`, bytes: await solid([220 + i, 220 + i, 220 + i], 'png', 8) });
    }
    const result = await decode(files, { height: 8, width: 8, channels: 1 });
    const { data } = await readTrainingImages(createReadStream(result.bundlePath));
    const { model, evaluation } = await train(
      {
        algorithm: 'cnn',
        hyperparameters: { filters: [2, 2, 2], denseUnits: 4, epochs: 3, batchSize: 8, earlyStopping: null, validationSplit: 0, dropout: 0 },
        evaluationPlan: { kind: 'split', testFraction: 0.25, stratify: true },
        seed: 5,
      },
      data,
    );
    try {
      expect(model.classLabels).toEqual(['dark', 'light']);
      expect(evaluation.confusionMatrix?.labels).toEqual(['dark', 'light']);
    } finally {
      model.dispose();
    }
  });
});
