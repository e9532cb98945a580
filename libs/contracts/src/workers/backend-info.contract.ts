import { z } from 'zod';
import { safeString } from '../common/primitives';

/** The routes to a TensorFlow.js backend (as @slipway/ml-runtime's BACKEND_NAMES). */
export const BACKEND_ROUTE_NAMES = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;

/**
 * workers.backend_info: what the worker's backend selection reported (ml-runtime's BackendInfo). Every field
 * is optional because the worker stores what it learned; unknown fields are refused so the shape cannot
 * drift unnoticed.
 */
export const backendInfoSchema = z
  .object({
    backend: z.enum(BACKEND_ROUTE_NAMES).optional(),
    tfBackend: safeString(64).optional(),
    device: safeString(512).optional(),
    adapter: z
      .object({ vendor: safeString(256), architecture: safeString(256), description: safeString(1024), device: safeString(256).optional() })
      .strict()
      .optional(),
    forced: z.boolean().optional(),
    tried: z
      .array(z.object({ backend: z.enum(BACKEND_ROUTE_NAMES), ok: z.boolean(), reason: safeString(2048) }).strict())
      .max(16)
      .optional(),
    tfjsVersion: safeString(64).optional(),
  })
  .strict();
export type BackendInfoColumn = z.infer<typeof backendInfoSchema>;
