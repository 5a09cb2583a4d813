# ComfyRelay: Node 24 runs the TypeScript sources directly (type stripping), so there is no build stage.
FROM node:24-slim

ENV NODE_ENV=production \
    COMFYRELAY_DATA_DIR=/data \
    COMFYRELAY_HTTP_HOST=0.0.0.0 \
    COMFYRELAY_HTTP_PORT=8787

WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the lockfile's production dependencies; the `node` dev dependency is not needed: this image
# already has Node 24.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY commands ./commands
COPY workflows ./workflows
COPY comfyrelay.config.example.yaml ./

RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.COMFYRELAY_HTTP_PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# A smaller young generation keeps RSS down after bursts of submits (see BENCHMARKS.md).
CMD ["node", "--max-semi-space-size=16", "src/main.ts"]
