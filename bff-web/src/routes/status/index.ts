import { Type } from 'typebox';
import type { App } from '@shop/platform/server';
import { SERVICE_NAME } from '../../config.ts';

const DownstreamReport = Type.Object({
  circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open'), Type.Literal('isolated')]),
  /** `ok`, or why the service did not answer its /health within the budget. */
  health: Type.String(),
});

const DownstreamsStatus = Type.Object({
  service: Type.String(),
  downstreams: Type.Record(Type.String(), DownstreamReport),
});

/**
 * Downstream services are reported here rather than gating `/ready`: with one of them down bff-web
 * still serves useful (degraded) pages, so taking it out of rotation would only make things worse.
 */
export default async function statusRoutes(app: App) {
  app.get('/ready/downstreams', { schema: { response: { 200: DownstreamsStatus } } }, async () => {
    const entries = await Promise.all(
      [...app.downstreams].map(async ([name, probe]) => {
        const health = await probe.ping().then(
          () => 'ok',
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
        return [name, { circuit: probe.circuit(), health }] as const;
      }),
    );
    return { service: SERVICE_NAME, downstreams: Object.fromEntries(entries) };
  });
}
