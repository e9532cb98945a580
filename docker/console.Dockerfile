# syntax=docker/dockerfile:1
# Slipway console (Next.js, `output: 'standalone'`). Build from the repository root:
#   docker build -f docker/console.Dockerfile -t slipway/console:local .
ARG NODE_VERSION=22
# npm ≥ 11 reads package.json "allowScripts" (which dependencies may run install scripts); match the lockfile's npm.
ARG NPM_VERSION=11.19.1

FROM node:${NODE_VERSION}-bookworm AS build
ARG NPM_VERSION
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
RUN npm install -g npm@${NPM_VERSION}
# Manifests first so the dependency layer is cached; the root postinstall runs `prisma generate`.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/db ./tools/db
RUN npm ci --no-audit --no-fund
COPY . .
# The standalone server does not serve .next/static or public/ itself: they are copied next to it below.
# (public/ is optional in a Next app; an empty one keeps the COPY below valid.)
RUN npm run build:console \
 && mkdir -p apps/console/public

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3001 \
    SLIPWAY_CONSOLE_PORT=3001
WORKDIR /app
# The standalone tree mirrors the monorepo (outputFileTracingRoot is the repository root).
COPY --from=build --chown=node:node /app/apps/console/.next/standalone ./
COPY --from=build --chown=node:node /app/apps/console/.next/static ./apps/console/.next/static
COPY --from=build --chown=node:node /app/apps/console/public ./apps/console/public
USER node
EXPOSE 3001
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3001) + '/api/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/console/server.js"]
