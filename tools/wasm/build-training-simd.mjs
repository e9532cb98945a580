#!/usr/bin/env node
/**
 * Assembles libs/ml/runtime/src/kernels/training-simd.wat into training-simd.wasm.ts (see wat-module.mjs).
 *
 *   node tools/wasm/build-training-simd.mjs [--check]
 */
import { buildWatModule } from './wat-module.mjs';

await buildWatModule({
  watPath: 'libs/ml/runtime/src/kernels/training-simd.wat',
  exportName: 'TRAINING_SIMD_WASM_BASE64',
  doc: 'The WebAssembly SIMD training kernels (im2col, MaxPoolGrad, column sums), base64.',
  script: 'tools/wasm/build-training-simd.mjs',
});
