# syntax=docker/dockerfile:1
#
# Kompasbord server image: the Fastify server (an esbuild bundle run by plain node) plus the built client, one
# Node process.
#   docker compose up -d --build      (see docker-compose.yml)
# Data (SQLite file) lives in /data; configure with PORT, HOST, DATA_DIR, TLDRAW_LICENSE_KEY, PUBLIC_URL.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: install dependencies, build the client and the server bundle, cut a production-only copy ----
FROM ${NODE_IMAGE} AS build
# Compilers for better-sqlite3, in case no prebuilt binary fits this Node/libc.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
RUN npm install --global pnpm@12.21.0
# CI: pnpm never prompts.
ENV CI=true
WORKDIR /src
# Manifests first: the dependency layer stays cached while only sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY client/package.json client/
COPY server/package.json server/
COPY shared/package.json shared/
COPY templates/package.json templates/
COPY tests/package.json tests/
COPY bench/package.json bench/
# Our addons (malloc_trim, the update log's record write) are built by their install scripts (node-gyp), so their
# sources come with the manifests.
COPY server/native/log-record-write/ server/native/log-record-write/
COPY server/native/malloc-trim/ server/native/malloc-trim/
# Only what the server and the client need (not the test and benchmark tooling).
# node-gyp uses the image's own Node headers (when present) instead of downloading them.
RUN if [ -f /usr/local/include/node/node.h ]; then export npm_config_nodedir=/usr/local; fi \
	&& pnpm install --frozen-lockfile --filter "@kompasbord/server..." --filter "@kompasbord/client..."
COPY . .
# The client, with a brotli and a gzip copy beside every text asset (served as they are).
RUN pnpm --filter @kompasbord/client run build && node scripts/compress-assets.mjs client/dist
# server/dist: the bundle (with @kompasbord/shared and the templates in it), its chunks and the commit thread's script.
RUN pnpm --filter @kompasbord/server run build
# /deploy: the server package with its production dependencies (the npm packages the bundle imports), the
# bundle in /deploy/dist (instead of the TypeScript sources; with dist/copy-rooms.mjs, which the package's
# `npm run copy-rooms` runs: `docker compose run --rm kompasbord npm run copy-rooms -- --from … --to …`) and the
# client in /deploy/client/dist.
RUN pnpm --filter @kompasbord/server deploy --prod /deploy \
	&& rm -rf /deploy/src /deploy/dist && cp -r server/dist /deploy/dist \
	&& mkdir -p /deploy/client \
	&& cp -r client/dist /deploy/client/dist

# ---- runtime: Node and the deployed server, no compilers ----
FROM ${NODE_IMAGE} AS runtime
# MALLOC_ARENA_MAX=2, as scripts/server-launch.mjs (npm start) sets it: fewer of glibc's per-thread malloc arenas
# (the SQLite commit thread has one), less RSS for the idle server and for each websocket connection.
ENV NODE_ENV=production \
	MALLOC_ARENA_MAX=2 \
	PORT=8080 \
	HOST=0.0.0.0 \
	DATA_DIR=/data \
	CLIENT_DIST_DIR=/app/client/dist
WORKDIR /app
COPY --from=build /deploy /app
# A named volume mounted on /data starts with this directory's owner, so the server (user node) can write it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
	CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# One process, so SIGTERM from `docker stop` reaches the server directly; the launcher switches source maps on
# for the bundle (stack traces name the TypeScript files) after loading the npm packages. The node flags are
# scripts/server-launch.mjs's SERVER_NODE_FLAGS (no V8 memory reducer: no full GCs at a workshop's quiet pace;
# the garbage collector in small steps on the event loop's thread, not in helper threads that take its core; no
# allocation-site pretenuring: decoded note changes are young garbage, not old).
CMD ["node", "--no-memory-reducer", "--single-threaded-gc", "--no-allocation-site-pretenuring", "dist/launch.mjs"]
