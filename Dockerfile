# billing-bot as a small image that runs the compiled JavaScript: no TypeScript compiler, no tsx
# and no Prisma CLI at run time.   docker build -t billing-bot .
# The engines field asks for Node 20.19 or newer; the node:20 images carry the latest 20.x.
ARG NODE_IMAGE=node:20-bookworm-slim

# Build: every dependency, then the Prisma client generated into src/generated/prisma and the
# whole of src/ compiled to dist/. Install scripts are skipped: the one that matters, `prisma
# generate` (the postinstall), runs below once the schema is there, and needs no download.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY src ./src
RUN npx prisma generate && npm run build

# Production dependencies only. Install scripts stay off: @prisma/client's would call the
# Prisma CLI, a dev dependency, and the generated client is already compiled into dist/.
# --omit=optional too: @prisma/client names the Prisma CLI and TypeScript as optional peers, so
# --omit=dev alone keeps them (110 MB); the one other optional package, pg-cloudflare, is for
# Cloudflare Workers only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000
# Owned by root and read-only to the bot; only /app/data is its own. package.json is needed at
# run time: its "type": "module" makes Node load dist/*.js as ES modules. The migrations are
# applied at start-up, found from dist/db/ as ../../prisma/migrations.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY prisma/migrations ./prisma/migrations
# The embedded database (the default DATABASE_URL, file:./data/pglite) lives in this volume; a
# new named volume takes the directory's owner, the image's `node` user (uid 1000).
RUN mkdir /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node

EXPOSE 3000
# /healthz answers while the process runs its HTTP server (Slack, Stripe or the usage API);
# a console session started with `docker run -it` has none and shows as unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/dist/http/healthcheck-cli.js"]
CMD ["node", "dist/main.js"]
