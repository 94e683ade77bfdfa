# syntax=docker/dockerfile:1
# One image per part, each a target of this file: `docker build --target catalog -t storefront/catalog .`
# (parts: catalog inventory cart orders payments identity bff-web bff-mobile shell mfe-catalog mfe-cart).
# The images run what `npm start` runs: each server bundled by esbuild into one ES module, on plain node.
# All targets share every layer but their last few lines, so a registry stores the build once.

FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund

# Builds every part as npm start does: the Vite front ends and one server bundle per part.
FROM deps AS build
RUN npx tsx infra/src/deploy/build-parts.ts

# What every part runs on: the installed packages, the sources (migrations, built front ends and
# import.meta.url paths point into them) and the part's server bundle; non-root; /health as liveness.
FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build --chown=node:node /app /app
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

FROM runtime AS catalog
ENV PORT=7101
EXPOSE 7101
CMD ["node", ".cache/build/catalog/server.js"]

FROM runtime AS inventory
ENV PORT=7102
EXPOSE 7102
CMD ["node", ".cache/build/inventory/server.js"]

FROM runtime AS cart
ENV PORT=7103
EXPOSE 7103
CMD ["node", ".cache/build/cart/server.js"]

FROM runtime AS orders
ENV PORT=7104
EXPOSE 7104
CMD ["node", ".cache/build/orders/server.js"]

FROM runtime AS payments
ENV PORT=7105
EXPOSE 7105
CMD ["node", ".cache/build/payments/server.js"]

FROM runtime AS identity
ENV PORT=7106
EXPOSE 7106
CMD ["node", ".cache/build/identity/server.js"]

FROM runtime AS bff-web
ENV PORT=4000
EXPOSE 4000
CMD ["node", ".cache/build/bff-web/server.js"]

FROM runtime AS bff-mobile
ENV PORT=4100
EXPOSE 4100
CMD ["node", ".cache/build/bff-mobile/server.js"]

FROM runtime AS shell
ENV PORT=3000
EXPOSE 3000
CMD ["node", ".cache/build/shell/server.js"]

FROM runtime AS mfe-catalog
ENV PORT=3001
EXPOSE 3001
CMD ["node", ".cache/build/mfe-catalog/server.js"]

FROM runtime AS mfe-cart
ENV PORT=3002
EXPOSE 3002
CMD ["node", ".cache/build/mfe-cart/server.js"]
