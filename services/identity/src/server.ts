import { ensureDatabase, migrate } from '@shop/platform/db';
import { listen } from '@shop/platform/server';
import { buildApp, migrationsDir } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfig();
await ensureDatabase(config.DATABASE_URL);
await migrate(config.DATABASE_URL, migrationsDir);
const app = await buildApp(config);
await listen(app, config.PORT, config.HOST);
