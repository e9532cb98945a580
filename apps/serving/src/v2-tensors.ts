import { ErrorCode, SlipwayError, type V2InferRequest, type V2Tensor } from '@slipway/contracts';
import { describeShape, type ImageShape } from './image-inputs';
import type { LoadedVersion, VersionAnswer } from './loaded-version';

const INTEGER_TYPES = new Set(['UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64']);
const INTEGER_RANGE: Record<string, [number, number]> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function bad(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${field} ${message}`, [{ field, message }]);
}

/** The tensor's elements, flattened row-major, each checked against the datatype; the count against the shape. */
function elements(tensor: V2Tensor, field: string): unknown[] {
  const flat: unknown[] = [];
  for (const item of tensor.data) {
    if (Array.isArray(item)) flat.push(...item);
    else flat.push(item);
  }
  const expected = tensor.shape.reduce((n, d) => n * d, 1);
  if (flat.length !== expected) throw bad(`${field}.data`, `has ${flat.length} elements; shape [${tensor.shape.join(', ')}] holds ${expected}`);
  const type = tensor.datatype;
  flat.forEach((value, i) => {
    const where = `${field}.data.${i}`;
    if (type === 'BOOL') {
      if (typeof value !== 'boolean') throw bad(where, 'must be a boolean (datatype BOOL)');
    } else if (type === 'BYTES') {
      if (typeof value !== 'string') throw bad(where, 'must be a string (datatype BYTES)');
    } else if (typeof value !== 'number') {
      throw bad(where, `must be a number (datatype ${type})`);
    } else if (INTEGER_TYPES.has(type)) {
      const [min, max] = INTEGER_RANGE[type];
      if (!Number.isInteger(value) || value < min || value > max) throw bad(where, `must be an integer in [${min}, ${max}] (datatype ${type})`);
    } else if (type === 'FP16' || type === 'FP32') {
      const limit = type === 'FP16' ? 65_504 : 3.4028234663852886e38;
      if (Math.abs(value) > limit) throw bad(where, `is out of the range of ${type}`);
    }
  });
  return flat;
}

/**
 * KServe v2 inputs → rows: one tensor of shape [rows, features] (values in the model's column order), or one tensor
 * per input column, named after it, of shape [rows] or [rows, 1] (how mixed-type tables travel, BYTES for categories).
 */
export function v2InputsToRows(request: V2InferRequest, columns: readonly string[]): unknown[] {
  const inputs = request.inputs;
  if (inputs.length === 1 && !columns.includes(inputs[0].name)) {
    const tensor = inputs[0];
    const field = 'body.inputs.0';
    if (tensor.shape.length !== 2 || tensor.shape[1] !== columns.length)
      throw bad(
        `${field}.shape`,
        `must be [rows, ${columns.length}] (the model's inputs: ${columns.slice(0, 20).join(', ')}${columns.length > 20 ? ', …' : ''})`,
      );
    const flat = elements(tensor, field);
    const rows: unknown[][] = [];
    for (let r = 0; r < tensor.shape[0]; r++) rows.push(flat.slice(r * columns.length, (r + 1) * columns.length));
    if (rows.length === 0) throw bad(`${field}.shape`, 'must hold at least one row');
    return rows;
  }
  const byName = new Map<string, { values: unknown[]; at: number }>();
  let count: number | null = null;
  inputs.forEach((tensor, i) => {
    const field = `body.inputs.${i}`;
    if (!columns.includes(tensor.name)) throw bad(`${field}.name`, `"${tensor.name}" is not an input of the model (${columns.slice(0, 20).join(', ')})`);
    if (byName.has(tensor.name)) throw bad(`${field}.name`, `"${tensor.name}" is given twice`);
    if (tensor.shape.length > 2 || (tensor.shape.length === 2 && tensor.shape[1] !== 1))
      throw bad(`${field}.shape`, 'must be [rows] or [rows, 1] for one column');
    const values = elements(tensor, field);
    if (count !== null && values.length !== count) throw bad(`${field}.shape`, `has ${values.length} rows; the first input has ${count}`);
    count = values.length;
    byName.set(tensor.name, { values, at: i });
  });
  const missing = columns.find((c) => !byName.has(c));
  if (missing !== undefined) throw bad('body.inputs', `has no tensor for the input "${missing}"`);
  if (!count) throw bad('body.inputs.0.shape', 'must hold at least one row');
  return Array.from({ length: count }, (_, r) => Object.fromEntries(columns.map((c) => [c, (byName.get(c) as { values: unknown[] }).values[r]])));
}

/**
 * KServe v2 images → one flat row of H*W*C pixels per image: one numeric tensor of shape [N, H, W, C] (or [N, H*W*C]),
 * row-major, as Triton and KServe image models take them. Pixel values are checked by the version (0..255).
 */
export function v2ImagesToRows(request: V2InferRequest, shape: ImageShape): unknown[][] {
  const field = 'body.inputs.0';
  if (request.inputs.length !== 1) throw bad('body.inputs', `must be one tensor of images [N, ${shape.height}, ${shape.width}, ${shape.channels}]`);
  const tensor = request.inputs[0];
  const perImage = shape.height * shape.width * shape.channels;
  const dims = tensor.shape;
  const fits =
    (dims.length === 4 && dims[1] === shape.height && dims[2] === shape.width && dims[3] === shape.channels) || (dims.length === 2 && dims[1] === perImage);
  if (!fits || dims[0] === 0)
    throw bad(
      `${field}.shape`,
      `must be [N, ${shape.height}, ${shape.width}, ${shape.channels}] (or [N, ${perImage}]), N ≥ 1: the model takes ${describeShape(shape)}`,
    );
  if (tensor.datatype === 'BOOL' || tensor.datatype === 'BYTES') throw bad(`${field}.datatype`, 'must be a numeric datatype (FP32, UINT8, …) for images');
  const flat = elements(tensor, field);
  const rows: unknown[][] = [];
  for (let i = 0; i < dims[0]; i++) rows.push(flat.slice(i * perImage, (i + 1) * perImage));
  return rows;
}

/** `predict` (labels: BYTES for strings, BOOL, INT64 for integers, FP64 otherwise) and, for classifiers, `probabilities` [rows, classes]. */
export function v2Outputs(answer: VersionAnswer, _version: LoadedVersion, wanted?: string[]) {
  const p = answer.predictions;
  const datatype = p.every((x) => typeof x === 'string')
    ? 'BYTES'
    : p.every((x) => typeof x === 'boolean')
      ? 'BOOL'
      : p.every((x) => typeof x === 'number' && Number.isInteger(x))
        ? 'INT64'
        : p.every((x) => typeof x === 'number')
          ? 'FP64'
          : 'BYTES';
  const outputs: { name: string; shape: number[]; datatype: string; data: unknown[]; parameters?: Record<string, unknown> }[] = [];
  if (!wanted || wanted.includes('predict')) outputs.push({ name: 'predict', shape: [p.length], datatype, data: datatype === 'BYTES' ? p.map(String) : p });
  if (answer.probabilities && (!wanted || wanted.includes('probabilities'))) {
    const { labels, values } = answer.probabilities;
    outputs.push({
      name: 'probabilities',
      shape: [values.length, labels.length],
      datatype: 'FP64',
      data: values.flat(),
      parameters: { labels: labels.map(String).join(',') },
    });
  }
  return outputs;
}
