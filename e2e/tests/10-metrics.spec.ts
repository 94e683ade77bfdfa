import { expect, test } from '@playwright/test';

// Every server `npm start` runs, at its standard port (ARCHITECTURE.md).
const servers = {
  shell: 3000, 'mfe-catalog': 3001, 'mfe-cart': 3002, 'bff-web': 4000, 'bff-mobile': 4100,
  catalog: 7101, inventory: 7102, cart: 7103, orders: 7104, payments: 7105, identity: 7106,
};

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(\\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*")*\\})? (?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?inf|nan)$`, 'i');

/** The lines Prometheus's text format 0.0.4 allows, each sample of a family declared with `# TYPE` before it; the bad lines. */
function badLines(body: string): string[] {
  const declared = new Set<string>();
  return body.split('\n').filter((line) => {
    if (line === '' || (line.startsWith('#') && !line.startsWith('# TYPE'))) return false;
    const type = TYPE.exec(line);
    if (type) return !declared.add(type[1]!);
    const sample = SAMPLE.exec(line);
    if (!sample) return true;
    const name = sample[1]!;
    return !declared.has(name) && !declared.has(name.replace(/_(bucket|sum|count)$/, ''));
  });
}

test.describe('GET /metrics', () => {
  for (const [name, port] of Object.entries(servers)) {
    test(`${name} answers in the Prometheus text format with its requests and runtime`, async ({ request }) => {
      await request.get(`http://localhost:${port}/health`);
      const res = await request.get(`http://localhost:${port}/metrics`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const body = await res.text();
      expect(badLines(body)).toEqual([]);
      expect(body).toMatch(/^http_requests_total\{method="GET",route="\/health",status_code="200"\} \d+$/m);
      expect(body).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
      expect(body).toMatch(/^process_cpu_user_seconds_total \d/m);
    });
  }
});
