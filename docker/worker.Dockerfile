# syntax=docker/dockerfile:1
# Slipway training worker, CPU image (TensorFlow.js on libtensorflow via tfjs-node, falling back to wasm).
# For NVIDIA GPUs use worker-gpu.Dockerfile. Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t slipway/worker:local .
ARG NODE_VERSION=22
# npm ≥ 11 reads package.json "allowScripts" (which dependencies may run install scripts); match the lockfile's npm.
ARG NPM_VERSION=11.19.1

FROM node:${NODE_VERSION}-bookworm AS build
ARG NPM_VERSION
WORKDIR /app
RUN npm install -g npm@${NPM_VERSION}
# Manifests first so the dependency layer is cached; the root postinstall runs `prisma generate`,
# which needs the schema, prisma.config.ts and tools/db.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/db ./tools/db
RUN npm ci --no-audit --no-fund
COPY . .
# tfjs-node-gpu would be picked first by SLIPWAY_TF_BACKEND=auto and then run on the CPU anyway: drop it here.
RUN npm run build:server \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@tensorflow/tfjs-node-gpu

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SLIPWAY_HOME=/var/lib/slipway \
    SLIPWAY_WORKER_HEALTH_PORT=9464 \
    SLIPWAY_TF_BACKEND=auto
WORKDIR /app
RUN mkdir -p /var/lib/slipway && chown node:node /var/lib/slipway
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SLIPWAY_WORKER_HEALTH_PORT || 9464) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/apps/worker/src/main.js"]
