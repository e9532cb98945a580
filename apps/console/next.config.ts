import type { NextConfig } from 'next';
import { resolve } from 'node:path';

// Next compiles this file to CommonJS (its default on every Node version), so __dirname is this folder.
const workspaceRoot = resolve(__dirname, '../..');

/**
 * The console's pages talk only to the console's own route handlers (same origin), which call the API on the
 * server; nothing is loaded from anywhere else. Next's App Router streams its payload through inline
 * scripts, so script-src needs 'unsafe-inline' (a per-request nonce would make every page dynamic); the
 * development server also evaluates code for Fast Refresh.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

const nextConfig: NextConfig = {
  output: 'standalone',
  // The monorepo root: @slipway/contracts is TypeScript source under libs/ (tsconfig paths) and node_modules
  // sits at the root, so both tracing (standalone output) and Turbopack's module resolution start there.
  outputFileTracingRoot: workspaceRoot,
  turbopack: { root: workspaceRoot },
  // Next adds X-Powered-By: Next.js unless told not to.
  poweredByHeader: false,
  reactStrictMode: true,
  headers: async () => [{ source: '/:path*', headers: securityHeaders }],
};

export default nextConfig;
