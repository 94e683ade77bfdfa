import { Type } from 'typebox';
import type { App } from '@shop/platform/server';
import { SERVICE_NAME } from '../../config.ts';

const DownstreamReport = Type.Object({
  circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open'), Type.Literal('isolated')]),
  /** `ok`, or why the service did not answer its /health within the budget. */
  health: Type.String(),
});

/**
 * The backends' state, for operators. Not part of `/ready`: with one service down the app still gets
 * useful answers from the others, and taking bff-mobile out of rotation would serve nothing at all.
 */
export default async function statusRoutes(app: App) {
  app.get(
    '/ready/downstreams',
    { schema: { response: { 200: Type.Object({ service: Type.String(), downstreams: Type.Record(Type.String(), DownstreamReport) }) } } },
    async () => {
      const entries = await Promise.all(
        Object.entries(app.backends).map(async ([name, client]) => {
          const health = await client.ping().then(
            () => 'ok',
            (err: unknown) => (err instanceof Error ? err.message : String(err)),
          );
          return [name, { circuit: app.backendCircuits.get(name)?.() ?? 'closed', health }] as const;
        }),
      );
      return { service: SERVICE_NAME, downstreams: Object.fromEntries(entries) };
    },
  );
}
