# syntax=docker/dockerfile:1
# The bot as one container: compiled JavaScript (dist/), production dependencies only, running as the unprivileged
# `node` user. `docker compose up` (docker-compose.yml) adds MongoDB.

# 1. Compile TypeScript with the full toolchain.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY types ./types
COPY src ./src
RUN npm run build

# 2. Production dependencies only (no TypeScript, tests, linters or browsers).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The runtime image.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --chown=root:root package.json ./
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# Files the code reads at run time: card templates and the default draft, the emulator's test CA (emulator mode only)
# and the playground page (local mode only).
COPY --chown=root:root cards ./cards
COPY --chown=root:root emulator ./emulator
COPY --chown=root:root playground ./playground
# The only writable place: the embedded store, when ALLOW_EMBEDDED_STORE=true is chosen instead of MongoDB.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The bot stops gracefully on SIGTERM, within 10 s (compose allows 15).
CMD ["node", "dist/main.js"]
