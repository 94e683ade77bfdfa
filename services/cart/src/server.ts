import { runService } from '@shop/platform/service-app';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

await runService(readConfig(), buildApp);
