import type { NextConfig } from 'next';
import { resolve } from 'node:path';

// Next compiles this file to CommonJS (its default on every Node version), so __dirname is this folder.
const workspaceRoot = resolve(__dirname, '../..');

const nextConfig: NextConfig = {
  output: 'standalone',
  // The monorepo root: @slipway/contracts is TypeScript source under libs/ (tsconfig paths) and node_modules
  // sits at the root, so both tracing (standalone output) and Turbopack's module resolution start there.
  outputFileTracingRoot: workspaceRoot,
  turbopack: { root: workspaceRoot },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
