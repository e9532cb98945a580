import type * as tf from '@tensorflow/tfjs';

/** How weights are stored in weights.bin; float16 and uint8 use tfjs's own `quantization` weight spec. */
export type WeightQuantization = 'none' | 'float16' | 'uint8';
export const WEIGHT_QUANTIZATIONS: readonly WeightQuantization[] = ['none', 'float16', 'uint8'];

type WeightSpec = tf.io.WeightsManifestEntry;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a float32, rounded to nearest even (as numpy's astype(float16)). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const remainder = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (remainder > midpoint || (remainder === midpoint && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // A carry out of the mantissa rolls into the exponent, and from the largest finite value into Infinity, as it should.
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

function quantizeOne(
  values: Float32Array,
  quantization: Exclude<WeightQuantization, 'none'>,
): { bytes: Uint8Array; spec: NonNullable<WeightSpec['quantization']> } {
  if (quantization === 'float16') {
    const half = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) half[i] = float32ToFloat16Bits(values[i]);
    return { bytes: new Uint8Array(half.buffer), spec: { dtype: 'float16' } };
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) min = max = 0;
  // Stored as float32 in model.json's JSON; round now so encoder and decoder use the same numbers.
  min = Math.fround(min);
  const scale = max > min ? Math.fround((max - min) / 255) : 1;
  const quantized = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) quantized[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return { bytes: quantized, spec: { dtype: 'uint8', min, scale } };
}

/**
 * Rewrites float32 weights into a quantized weights buffer plus the specs tfjs's loader dequantizes
 * from (`v * scale + min` for uint8, binary16 for float16). Non-float32 weights are kept as they are.
 */
export function quantizeWeights(specs: WeightSpec[], data: ArrayBuffer, quantization: WeightQuantization): { specs: WeightSpec[]; data: Uint8Array } {
  if (quantization === 'none') return { specs, data: new Uint8Array(data) };
  const parts: Uint8Array[] = [];
  const outSpecs: WeightSpec[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32' || spec.quantization) {
      throw new Error(`weight ${spec.name}: only unquantized float32 weights can be quantized, got ${spec.dtype}`);
    }
    const values = new Float32Array(data.slice(offset, offset + size * 4));
    offset += size * 4;
    const { bytes, spec: quantizationSpec } = quantizeOne(values, quantization);
    parts.push(bytes);
    outSpecs.push({ ...spec, quantization: quantizationSpec });
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { specs: outSpecs, data: out };
}
