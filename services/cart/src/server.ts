import { startTracing } from '@shop/platform/tracing';

// Tracing first: its instrumentations only see the modules loaded after it, hence the dynamic imports.
await startTracing('cart');
const { runService } = await import('@shop/platform/service-app');
const { buildApp } = await import('./app.ts');
const { readConfig } = await import('./config.ts');

await runService(readConfig(), buildApp);
