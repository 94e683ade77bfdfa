import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDownstream, getJson, joinUrl, pingService, sendJson } from '../src/clients/downstream.ts';

// The BFFs' JSON calls over a real port: what goes over the wire (trace context, one kept-alive
// connection) and how each kind of answer comes back.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation({ requireParentforSpans: true })] });
const tracer = trace.getTracer('http-json-test');

const Thing = Type.Object({ id: Type.String() });
const isThing = Compile(Thing);
const traceparents: (string | undefined)[] = [];
let connections = 0;
let server: Server;
let base: string;

function answer(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  traceparents.push(req.headers.traceparent as string | undefined);
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  if (path === '/things/A') return json(200, { id: 'A' });
  if (path === '/busy') return json(503, { message: 'busy' }, { 'retry-after': '3' });
  if (path === '/not-json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":');
  if (path === '/things' && req.method === 'POST') {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => json(201, { id: (JSON.parse(body) as { id: string }).id }));
    return;
  }
  if (path === '/health') return json(200, { status: 'ok' });
  return json(404, { message: 'no' });
}

beforeAll(async () => {
  server = createHttpServer(answer);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await provider.shutdown();
});

describe('JSON calls to a service', () => {
  it('send the caller\'s trace context (traceparent) and record a client span in its trace', async () => {
    const parent = tracer.startSpan('page');
    const thing = await context.with(trace.setSpan(context.active(), parent), () => getJson('svc', joinUrl(base, '/things/A'), undefined, isThing));
    parent.end();
    expect(thing).toEqual({ id: 'A' });
    const traceId = parent.spanContext().traceId;
    expect(traceparents.at(-1)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const client = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT && s.spanContext().traceId === traceId);
    expect(client?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('keep one connection alive across calls made one after another', async () => {
    const before = connections;
    for (let i = 0; i < 20; i++) await getJson('svc', joinUrl(base, '/things/A'), undefined, isThing);
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('resolve a 404 to null, and send a JSON body', async () => {
    expect(await getJson('svc', joinUrl(base, '/things/NOPE'), undefined, isThing)).toBeNull();
    expect(await sendJson('svc', joinUrl(base, '/things'), { method: 'POST', body: { id: 'B' }, schema: isThing })).toEqual({ id: 'B' });
  });

  it('pass on a 503\'s Retry-After, and call a body that is not JSON a contract breach', async () => {
    await expect(getJson('svc', joinUrl(base, '/busy'), undefined, isThing)).rejects.toMatchObject({ status: 503, retryAfterS: 3 });
    await expect(getJson('svc', joinUrl(base, '/not-json'), undefined, isThing)).rejects.toMatchObject({
      status: 502, contractBreach: true, message: expect.stringContaining('svc broke its contract on GET /not-json'),
    });
  });

  it('name a refused connection, behind the downstream guard, as the service being unreachable', async () => {
    const guard = createDownstream({ name: 'svc', timeoutMs: 1_000, breakerThreshold: 5, halfOpenAfterMs: 5_000, logger: pino({ level: 'silent' }) });
    await expect(guard.call((signal) => pingService('svc', 'http://127.0.0.1:1', signal))).rejects.toMatchObject({
      status: 503, message: 'svc is unreachable: ECONNREFUSED',
    });
    await expect(guard.call((signal) => pingService('svc', base, signal))).resolves.toBeUndefined();
  });
});
