# One image for the four services; compose picks the service with `command:`.
#   docker build -t context-os:latest .
#   docker build --build-arg NODE_IMAGE=<local node base> -t context-os:latest .
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: full dependency install, native modules compiled from source ----
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source (no prebuilt binary download): it needs a C++ toolchain
# and the Node headers that the base image ships under /usr/local/include/node.
ENV npm_config_build_from_source=better-sqlite3 \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && node -e "require('better-sqlite3')(':memory:').prepare('select 1').get()"
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
COPY scripts/build.mjs scripts/backup.ts scripts/restore.ts ./scripts/
# The services run as compiled JavaScript: no TypeScript loader in a running container.
RUN node scripts/build.mjs --force
# Production dependencies only in the final image.
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
      tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng poppler-utils \
 && rm -rf /var/lib/apt/lists/* \
 && (id -u node >/dev/null 2>&1 || useradd --uid 1000 --create-home --shell /bin/sh node) \
 && mkdir -p /data /files /backups \
 && chown node:node /data /files /backups
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    FILES_DIR=/files \
    BACKUP_DIR=/backups
# Memory for a small server (compose sets NODE_OPTIONS per service, with its heap limit): V8's
# young generation capped at 2 MB semi-spaces instead of growing to 16 MB ones under load, one
# V8 background thread instead of four (each keeps its own malloc arena of compiler memory); the
# mimalloc of the native jieba and argon2 modules commits its 1 GiB arena lazily, so the kernel
# does not back it with 2 MB huge pages.
ENV NODE_OPTIONS="--max-semi-space-size=2 --v8-pool-size=1" \
    MIMALLOC_ARENA_EAGER_COMMIT=0
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/dist ./dist
USER node
VOLUME ["/data"]
EXPOSE 3000 3100 3200 3300
# Liveness through Node itself (the image has neither curl nor wget); PORT is the service's own.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "--"]
# The gateway by default; compose sets the command per service:
#   dist/services/search/main.js, dist/services/ingest-worker/main.js, dist/services/admin/main.js
CMD ["node", "dist/services/gateway/main.js"]
