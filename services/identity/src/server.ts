import { startTracing } from '@shop/platform/tracing';

// Tracing first: its instrumentations only see the modules loaded after it, hence the dynamic imports.
await startTracing('identity');
const { runService } = await import('@shop/platform/service-app');
const { buildApp, migrationsDir } = await import('./app.ts');
const { readConfig } = await import('./config.ts');

await runService(readConfig(), buildApp, migrationsDir);
