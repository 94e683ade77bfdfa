import { startTracing } from '@shop/platform/tracing';

// Tracing first: its instrumentations only see the modules loaded after it, hence the dynamic imports.
await startTracing('bff-mobile');
const { listen } = await import('@shop/platform/server');
const { buildApp } = await import('./app.ts');
const { readConfig } = await import('./config.ts');

const config = readConfig();
const app = await buildApp(config);
await listen(app, config.PORT, config.HOST);
