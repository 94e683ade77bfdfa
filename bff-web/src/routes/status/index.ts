import type { App } from '@shop/platform/server';
import { DownstreamsStatus, downstreamsReport } from '@shop/platform/clients/service-clients';
import { SERVICE_NAME } from '../../config.ts';

/**
 * Downstream services are reported here rather than gating `/ready`: with one of them down bff-web
 * still serves useful (degraded) pages, so taking it out of rotation would only make things worse.
 */
export default async function statusRoutes(app: App) {
  app.get('/ready/downstreams', { schema: { response: { 200: DownstreamsStatus } } }, async () => ({
    service: SERVICE_NAME,
    downstreams: await downstreamsReport(app.downstreams),
  }));
}
