# syntax=docker/dockerfile:1
# Slipway serving process (apps/serving): answers predictions and the Open Inference Protocol (v2) for the
# deployments in the database, any number of replicas side by side. CPU-only. Build from the repository root:
#   docker build -f docker/serving.Dockerfile -t slipway/serving:local .
# It verifies versions against the API's signing key: point SLIPWAY_SIGNING_KEY_FILE at the same file the API uses.
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
# dist/server needs node_modules at run time: prune dev dependencies only after compiling.
# Serving never runs on a GPU; tfjs-node (CPU libtensorflow) stays, tfjs-node-gpu goes.
RUN npm run build:server \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@tensorflow/tfjs-node-gpu

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SLIPWAY_HOME=/var/lib/slipway \
    SLIPWAY_SERVING_HOST=0.0.0.0 \
    SLIPWAY_SERVING_PORT=8090
WORKDIR /app
RUN mkdir -p /var/lib/slipway && chown node:node /var/lib/slipway
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
# The workspace root is found by prisma/schema.prisma next to package.json (the image's app root).
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 8090
# /v2/health/ready answers 200 once the first routing table is loaded, 503 before (liveness: /v2/health/live).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SLIPWAY_SERVING_PORT || 8090) + '/v2/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/apps/serving/src/main.js"]
