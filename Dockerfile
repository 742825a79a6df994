# syntax=docker/dockerfile:1
#
# One image for every Showroom process. The default command runs the api; choose another
# process by overriding the command (docker/compose `command:`, Kubernetes `args:` — in
# Kubernetes use `args`, not `command`, so tini stays the entrypoint):
#
#   api (default)  node dist/apps/api/apps/api/src/main.js
#   worker         node dist/apps/worker/apps/worker/src/main.js   (WORKER_QUEUES picks queues)
#   migrations     node dist/apps/migrate/apps/migrate/src/main.js (one-shot, exits 0 when done)
#
# Build:  docker build -t showroom:local .
# The local voice engines (VOICE_APT_PACKAGES) are in by default; a hosted-voice-only image
# can drop them with --build-arg VOICE_APT_PACKAGES="" (the local providers then answer 503).
# More Debian packages: --build-arg EXTRA_APT_PACKAGES="…"

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------
# deps: every dependency (dev included: the Nest CLI, TypeScript and swc build the apps),
# installed exactly from the lockfile. Only package*.json are copied so this layer is cached
# until the dependencies change. package.json's `allowScripts` decides which install scripts
# npm 11 runs (e.g. the `node` dev dependency fetching its Node 24 binary).
# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

# ---------------------------------------------------------------------------------------
# build: `npm run build` = nest build api && nest build worker && nest build migrate
# ---------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build

# ---------------------------------------------------------------------------------------
# prune: drop dev dependencies (including the `node` package's bundled binary: the runtime
# uses the image's own Node 24) so the runtime gets production node_modules only.
# ---------------------------------------------------------------------------------------
FROM build AS prune
RUN npm prune --omit=dev && npm cache clean --force

# ---------------------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG EXTRA_APT_PACKAGES=""
# voice's offline defaults (speech-to-text, text-to-speech, resampling); about 90 MB
ARG VOICE_APT_PACKAGES="pocketsphinx pocketsphinx-en-us flite espeak-ng sox"
# tini is PID 1: it forwards SIGTERM/SIGINT to node (which then drains; see SHUTDOWN_* in
# env.schema.ts) and reaps zombies (e.g. from spawned espeak-ng/pocketsphinx processes).
# npm/npx/corepack are removed: the processes are started with `node` directly, so the
# package manager (and its CVE surface) has no business in the runtime image.
# fonts-dejavu-core: the TrueType fonts PDF exports embed (EXPORT_PDF_FONT), about 3 MB.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini fonts-dejavu-core ${VOICE_APT_PACKAGES} ${EXTRA_APT_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack

WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    WORKER_PORT=3001

# Files stay owned by root and are only readable by the `node` user: the process cannot
# rewrite its own code. The only writable place it needs is /tmp (an emptyDir/tmpfs when the
# root filesystem is read-only).
COPY --from=prune /app/package.json ./package.json
COPY --from=prune /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# Fail the image build, not the rollout, if an entry point is missing.
RUN test -f dist/apps/api/apps/api/src/main.js \
 && test -f dist/apps/worker/apps/worker/src/main.js \
 && test -f dist/apps/migrate/apps/migrate/src/main.js

# `node` is uid/gid 1000 in the official image; Kubernetes manifests set runAsUser: 1000
# because runAsNonRoot cannot verify a user given by name.
USER node

# 3000: api HTTP/WebSocket (PORT). 3001: worker health and metrics only (WORKER_PORT).
EXPOSE 3000 3001
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
