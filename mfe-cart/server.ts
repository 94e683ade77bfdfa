import { fileURLToPath } from 'node:url';
import { buildFragmentServer } from './server-app.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment once; a bad variable stops the process with its name. */
function loadConfig(env: NodeJS.ProcessEnv) {
  const port = Number(env.PORT ?? 3002);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const bffWebUrl = env.BFF_WEB_URL ?? 'http://localhost:4000';
  if (!URL.canParse(bffWebUrl)) throw new Error(`BFF_WEB_URL must be a URL, got "${bffWebUrl}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return { port, host: env.HOST ?? 'localhost', bffWebUrl, logLevel };
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  process.stderr.write(`mfe-cart: bad configuration: ${(error as Error).message}\n`);
  process.exit(1);
}

const app = await buildFragmentServer({
  // DIST_DIR serves another build from the same server, e.g. a candidate release.
  distDir: process.env.DIST_DIR ?? fileURLToPath(new URL('./dist', import.meta.url)),
  bffWebUrl: config.bffWebUrl,
  logger: { level: config.logLevel },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.error(error, 'mfe-cart failed to start');
  process.exit(1);
}
