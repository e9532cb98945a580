# syntax=docker/dockerfile:1
# Slipway training worker for NVIDIA GPUs: TensorFlow.js on CUDA through @tensorflow/tfjs-node-gpu.
# Build from the repository root:
#   docker build -f docker/worker-gpu.Dockerfile -t slipway/worker-gpu:local .
# Run with the NVIDIA Container Toolkit on the host (`docker run --gpus all ...`, or the compose `gpu` profile).
#
# CUDA version: tfjs-node-gpu 4.22 downloads libtensorflow 2.9.1, built against CUDA 11.2 and cuDNN 8.1.
# It loads the CUDA 11 sonames (libcudart.so.11.0, libcublas.so.11, libcudnn.so.8, ...), which every
# CUDA 11.x ≥ 11.2 + cuDNN 8 runtime provides; 11.8 is the newest such image on Ubuntu 22.04 (NVIDIA
# removed many older 11.x tags). The exact-match image is nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04.
# CUDA 12 images do NOT work: they lack the CUDA 11 libraries. The host driver must support CUDA 11.8 (≥ 520).
ARG NODE_VERSION=22
ARG NPM_VERSION=11.19.1
ARG CUDA_IMAGE=nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04

# The official Node.js build (glibc, x64), taken from the Node image rather than a download.
FROM node:${NODE_VERSION}-bookworm-slim AS node

FROM ${CUDA_IMAGE} AS cuda-node
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version

FROM cuda-node AS build
ARG NPM_VERSION
# Compilers for node-pre-gyp's --fallback-to-build, should a prebuilt tfjs binding be unavailable.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN npm install -g npm@${NPM_VERSION}
# Manifests first so the dependency layer is cached; the root postinstall runs `prisma generate`.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/db ./tools/db
# Needs the network: tfjs-node-gpu's install script downloads the GPU build of libtensorflow.
RUN npm ci --no-audit --no-fund \
 && test -f node_modules/@tensorflow/tfjs-node-gpu/package.json
COPY . .
# Only the GPU binding stays: with SLIPWAY_TF_BACKEND=node-gpu the CPU tfjs-node is never loaded.
RUN npm run build:server \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@tensorflow/tfjs-node

FROM cuda-node AS runtime
ENV NODE_ENV=production \
    SLIPWAY_HOME=/var/lib/slipway \
    SLIPWAY_WORKER_HEALTH_PORT=9464 \
    SLIPWAY_TF_BACKEND=node-gpu \
    TF_FORCE_GPU_ALLOW_GROWTH=true
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --no-create-home --shell /usr/sbin/nologin node \
 && mkdir -p /var/lib/slipway && chown node:node /var/lib/slipway
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SLIPWAY_WORKER_HEALTH_PORT || 9464) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/apps/worker/src/main.js"]
