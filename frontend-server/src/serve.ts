import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildFrontendServer, type FederationRole } from './app.ts';
import { loadFrontendConfig, type ConfigDefaults, type Env, type FrontendConfig } from './config.ts';
import type { PageHead } from './page-head.ts';

/** What an app's `server.ts` says about itself; everything else is the same for all three. */
export type ServeOptions = {
  /** `shell`, `mfe-catalog`, `mfe-cart`: names the process in errors and logs. */
  name: string;
  defaults: ConfigDefaults;
} & (
  | {
      role: 'host';
      /** What `/remotes.json` answers, read with the rest of the environment so a bad value stops the start. */
      remotesFromEnv: (env: Env) => object;
      /**
       * What each page carries in its head besides the remotes (see FederationRole), built from the
       * environment, the checked config and the remotes; throws like remotesFromEnv on a bad variable.
       */
      headFromEnv?: (env: Env, config: FrontendConfig, remotes: object) => (url: URL, remotes: object, session?: unknown) => Promise<PageHead>;
      /**
       * Per-browser remotes from a release manifest (fragment canaries), built from the environment;
       * `start` begins its background work once the server has its logger and returns what stops it.
       * Throws like remotesFromEnv on a bad variable.
       */
      releasesFromEnv?: (env: Env, config: FrontendConfig, remotes: object) => Releases;
    }
  | {
      role: 'remote';
      /** The fragment's server-render bundle, answering `POST /render` (see FederationRole). */
      render?: { module: URL };
    }
);

/** What a host does with releases: see `ServeOptions.releasesFromEnv`. */
export interface Releases {
  remotesFor: (request: FastifyRequest, reply: FastifyReply) => Promise<object>;
  start: (log: FastifyBaseLogger) => () => void;
}

/** Reads the config, serves the build, and closes on SIGINT/SIGTERM. A bad config exits naming the variable. */
export async function serveFrontend(options: ServeOptions, env: Env = process.env): Promise<FastifyInstance> {
  let config: FrontendConfig;
  let role: FederationRole;
  let releases: Releases | undefined;
  try {
    config = loadFrontendConfig(env, options.defaults);
    if (options.role === 'host') {
      const remotes = options.remotesFromEnv(env);
      releases = options.releasesFromEnv?.(env, config, remotes);
      role = {
        role: 'host',
        remotes,
        remotesFor: releases?.remotesFor,
        head: options.headFromEnv?.(env, config, remotes),
        sessionBudgetMs: config.sessionBudgetMs,
      };
    } else {
      role = { role: 'remote', releasesDir: config.releasesDir, render: options.render };
    }
  } catch (error) {
    process.stderr.write(`${options.name}: bad configuration: ${(error as Error).message}\n`);
    process.exit(1);
  }

  const app = await buildFrontendServer({
    ...role,
    name: options.name,
    distDir: config.distDir,
    bffWebUrl: config.bffWebUrl,
    logger: { level: config.logLevel },
  });

  if (releases) {
    const stop = releases.start(app.log);
    app.addHook('onClose', async () => stop());
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  }

  try {
    await app.listen({ port: config.port, host: config.host });
    const remotes = role.role === 'host' ? { remotes: role.remotes } : {};
    app.log.info({ bffWebUrl: config.bffWebUrl, distDir: config.distDir, ...remotes }, `${options.name} ready`);
  } catch (error) {
    app.log.error(error, `${options.name} failed to start`);
    process.exit(1);
  }
  return app;
}
