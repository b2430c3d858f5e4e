# One image for all four services: the gateway by default; docker-compose.yml overrides the
# command for each subgraph (node dist/subgraphs/<name>/index.js).

# --- build: compile TypeScript and the native sqlite3 module, then drop dev dependencies ---
FROM node:24-bookworm-slim AS build
# node-gyp needs these when sqlite3 has no prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Runs sqlite3's install script (prebuilt binary or node-gyp). npm 11 runs it because package.json
# "allowScripts" permits it; the npm 10 bundled with node:20 runs install scripts by default.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY app ./app
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
COPY schema ./schema
COPY seed ./seed
COPY examples ./examples
COPY web ./web
# --omit=optional: the benchmark's Grafbase engine (an optional dependency, ~100 MB) stays out of the
# image; the other optional packages are sqlite3's build tools, not needed once it is built.
RUN npm run build \
 && npm prune --omit=dev --omit=optional

# --- runtime ---
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
# Servers listen on 127.0.0.1 by default; in a container that would be unreachable, so every
# container of this image listens on all its interfaces. Only the gateway is published (compose).
ENV HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/seed ./seed
# The support-finder page the gateway serves at GET /.
COPY --from=build /app/web/dist ./web/dist
# SQLite files go to ./data when DATABASE_URL is not set; the node user must be able to write there.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/index.js"]
