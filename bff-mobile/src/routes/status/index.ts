import type { App } from '@shop/platform/server';
import { DownstreamsStatus, downstreamsReport } from '@shop/platform/clients/service-clients';
import { SERVICE_NAME } from '../../config.ts';

/**
 * The backends' state, for operators. Not part of `/ready`: with one service down the app still gets
 * useful answers from the others, and taking bff-mobile out of rotation would serve nothing at all.
 */
export default async function statusRoutes(app: App) {
  app.get('/ready/downstreams', { schema: { response: { 200: DownstreamsStatus } } }, async () => ({
    service: SERVICE_NAME,
    downstreams: await downstreamsReport(app.downstreams),
  }));
}
