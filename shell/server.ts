import { fileURLToPath } from 'node:url';
import { remotesFromEnv } from './remotes-config.ts';
import { buildShellServer } from './server-app.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment once; a bad variable stops the process with its name. */
function loadConfig(env: NodeJS.ProcessEnv) {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const bffWebUrl = env.BFF_WEB_URL ?? 'http://localhost:4000';
  if (!URL.canParse(bffWebUrl)) throw new Error(`BFF_WEB_URL must be a URL, got "${bffWebUrl}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return { port, host: env.HOST ?? 'localhost', bffWebUrl, logLevel, remotes: remotesFromEnv(env) };
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  process.stderr.write(`shell: bad configuration: ${(error as Error).message}\n`);
  process.exit(1);
}

const app = await buildShellServer({
  // DIST_DIR serves another build from the same server, e.g. a candidate release.
  distDir: process.env.DIST_DIR ?? fileURLToPath(new URL('./dist', import.meta.url)),
  bffWebUrl: config.bffWebUrl,
  remotes: config.remotes,
  logger: { level: config.logLevel },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}

try {
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ remotes: config.remotes.remotes, bffWebUrl: config.bffWebUrl }, 'shell ready');
} catch (error) {
  app.log.error(error, 'shell failed to start');
  process.exit(1);
}
