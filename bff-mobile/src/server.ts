import { listen } from '@shop/platform/server';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfig();
const app = await buildApp(config);
await listen(app, config.PORT, config.HOST);
