import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import wabtInit from 'wabt';
import { describe, expect, it } from '@jest/globals';
import { golden } from '../../__fixtures__/golden';
import { createRandom } from '../../common';
import { lloyd, type LloydResult, type Values } from '../lloyd';
import { simdKernelAvailable } from '../lloyd-simd';
import { LLOYD_SIMD_WASM_BASE64 } from '../lloyd-simd.wasm';

const kmeansDir = join(__dirname, '..');

/** Bit-level equality: same labels, same float64 bits for centers and inertia, same iterations. */
function expectIdentical(simd: LloydResult, js: LloydResult): void {
  expect(simd.nIter).toBe(js.nIter);
  expect(simd.converged).toBe(js.converged);
  expect(Object.is(simd.inertia, js.inertia)).toBe(true);
  expect(
    Buffer.from(simd.labels.buffer, simd.labels.byteOffset, simd.labels.byteLength).equals(
      Buffer.from(js.labels.buffer, js.labels.byteOffset, js.labels.byteLength),
    ),
  ).toBe(true);
  expect(
    Buffer.from(simd.centers.buffer, simd.centers.byteOffset, simd.centers.byteLength).equals(
      Buffer.from(js.centers.buffer, js.centers.byteOffset, js.centers.byteLength),
    ),
  ).toBe(true);
}

function blobs(n: number, d: number, k: number, seed: number, f32: boolean): Values {
  const random = createRandom(seed);
  const centers = Array.from({ length: k * d }, () => -6 + 12 * random.next());
  const x = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = random.int(k);
    for (let j = 0; j < d; j++) x[i * d + j] = centers[c * d + j] + 2 * (random.next() + random.next() + random.next() - 1.5);
  }
  return x;
}

function rowsAsInit(x: Values, d: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, c) => {
    for (let j = 0; j < d; j++) out[c * d + j] = x[r * d + j];
  });
  return out;
}

describe('WebAssembly SIMD Lloyd kernel', () => {
  it('committed binary is what lloyd-simd.wat assembles to (regenerate: node tools/wasm/build-lloyd-simd.mjs)', async () => {
    const wabt = await wabtInit();
    const mod = wabt.parseWat('lloyd-simd.wat', readFileSync(join(kmeansDir, 'lloyd-simd.wat'), 'utf8'), { simd: true });
    try {
      mod.validate();
      const bytes = Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer);
      expect(Buffer.from(LLOYD_SIMD_WASM_BASE64, 'base64').equals(bytes)).toBe(true);
    } finally {
      mod.destroy();
    }
  });

  it('is used on this Node (WebAssembly SIMD is available on every supported Node)', () => {
    expect(simdKernelAvailable()).toBe(true);
  });

  it.each([
    // n, d, k, float32, init rows seed, maxIter, tol
    [3000, 16, 8, true, 1, 300, 1e-4],
    [3000, 16, 8, false, 2, 300, 0],
    [2500, 7, 5, true, 3, 300, 1e-6],
    [2500, 13, 11, false, 4, 300, 0],
    [1000, 3, 3, true, 5, 300, 0],
    [1000, 2, 7, false, 6, 300, 0],
    [500, 1, 2, true, 7, 300, 0],
    [2000, 9, 4, false, 8, 3, 1e-4],
  ] as const)('matches the JavaScript kernel bit for bit: n=%i d=%i k=%i float32=%s', (n, d, k, f32, seed, maxIter, tol) => {
    const x = blobs(n, d, k, seed, f32);
    const random = createRandom(seed + 100);
    // Random data rows as initial centers: many iterations, labels moving between clusters, Elkan pruning misses.
    const init = rowsAsInit(
      x,
      d,
      Array.from({ length: k }, () => random.int(n)),
    );
    expectIdentical(lloyd(x, n, d, init, maxIter, tol), lloyd(x, n, d, init, maxIter, tol, 'js'));
  });

  it('matches the JavaScript kernel when clusters empty (duplicate initial centers)', () => {
    const d = 4;
    const x = blobs(400, d, 3, 9, false);
    const init = rowsAsInit(x, d, [0, 0, 0, 1, 1]);
    const simd = lloyd(x, 400, d, init, 300, 0);
    expectIdentical(simd, lloyd(x, 400, d, init, 300, 0, 'js'));
    expect(new Set(simd.labels).size).toBe(5);
  });

  it.each(golden.kmeans.map((g) => [g.dataset, g] as const))('golden %s: JavaScript and SIMD kernels agree bit for bit', (_name, g) => {
    const ds = loadBuiltinDataset(g.dataset);
    const init = Float64Array.from(g.initCenters.flat());
    for (const x of [ds.features, Float32Array.from(ds.features)]) {
      expectIdentical(lloyd(x, ds.nRows, ds.nFeatures, init, 300, 1e-4), lloyd(x, ds.nRows, ds.nFeatures, init, 300, 1e-4, 'js'));
    }
  });

  it('repeated and interleaved fits of different shapes reuse the kernel without leaking state', () => {
    const a = blobs(2000, 16, 8, 11, true);
    const b = blobs(300, 5, 3, 12, false);
    const initA = rowsAsInit(a, 16, [1, 2, 3, 4, 5, 6, 7, 8]);
    const initB = rowsAsInit(b, 5, [0, 1, 2]);
    const first = lloyd(a, 2000, 16, initA, 300, 0);
    lloyd(b, 300, 5, initB, 300, 0);
    expectIdentical(lloyd(a, 2000, 16, initA, 300, 0), first);
  });
});
