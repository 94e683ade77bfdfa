/**
 * More instances of a part behind a load balancer (HAProxy from Debian's `haproxy` package).
 *
 * `<PART>_INSTANCES=N` (`BFF_WEB_INSTANCES`, `CATALOG_INSTANCES`, …; 1 by default) runs N processes of a
 * service or BFF. Instance i (1…9) of a part whose usual port is P listens on 20000 + (P mod 1000)·10 + i:
 * a "2", P's last three digits, then i (bff-web's :4000 → 20001, 20002, 20003; bff-mobile's :4100 → 21001…;
 * catalog's :7101 → 21011…). `<PART>_INSTANCE_PORT_BASE` moves them (instance i on base + i). HAProxy then
 * listens on P, so every other part and every browser keep their address.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Part } from '../parts.ts';

/** The address HAProxy connects to the instances from, so that they can trust its X-Forwarded-For alone. */
export const BALANCER_SOURCE_ADDRESS = '127.0.0.2';

const MAX_INSTANCES = 9;

/** `bff-web` → `BFF_WEB`: the prefix of a part's variables. */
export const envName = (part: Pick<Part, 'name'>) => part.name.toUpperCase().replaceAll('-', '_');

/**
 * How many instances of `part` to run, from `<PART>_INSTANCES` (1 when unset). Fragments and the shell
 * always run once. Throws an Error naming the variable for anything but a whole number 1…9.
 */
export function instanceCount(part: Pick<Part, 'name' | 'built'>, env: Record<string, string | undefined> = process.env): number {
  const name = `${envName(part)}_INSTANCES`;
  const raw = env[name];
  if (raw === undefined || raw === '') return 1;
  if (!/^[1-9]$/.test(raw.trim())) throw new Error(`${name} must be a whole number from 1 to ${MAX_INSTANCES}, got "${raw}"`);
  const count = Number(raw.trim());
  if (count > 1 && part.built) throw new Error(`${name}: ${part.name} is served from a static build and runs once`);
  return count;
}

/** The port (TCP) of instance `index` (1-based) of `part`; see the module comment. Throws when out of range. */
export function instancePort(part: Pick<Part, 'name' | 'port'>, index: number, env: Record<string, string | undefined> = process.env): number {
  const baseVar = `${envName(part)}_INSTANCE_PORT_BASE`;
  const base = env[baseVar] ? Number(env[baseVar]) : 20_000 + (part.port % 1000) * 10;
  const port = base + index;
  if (!Number.isInteger(port) || port < 1024 || port > 65_535) throw new Error(`${baseVar}: instance ${index} of ${part.name} would listen on ${port}, not a usable port`);
  return port;
}

/** One balanced part: its usual address and its instances' ports. */
export interface BalancedPart {
  name: string;
  port: number;
  instancePorts: number[];
}

/**
 * HAProxy's configuration (2.6 syntax) for the balanced parts: each part's usual port (on 127.0.0.1, as the
 * parts bind) spread over its instances by least connections (long-lived WebSockets count: a new page goes
 * to the instance holding the fewest), instances checked on `/ready` every second and taken out after two
 * failures. X-Forwarded-For gets the client's address appended; connections to the instances leave from
 * BALANCER_SOURCE_ADDRESS. `timeout tunnel` keeps idle WebSockets (socket.io pings every 25 s) open.
 */
export function haproxyConfig(balanced: BalancedPart[]): string {
  const lines = [
    '# Written by `npm start` (infra/src/launcher/balancer.ts); rewritten on every start.',
    'global',
    // Two descriptors per proxied connection: within an ordinary 20,000 open-file limit.
  '  maxconn 8000',
    '',
    'defaults',
    '  mode http',
    '  log stdout format raw local0',
    '  option httplog',
    '  option dontlognull',
  '  option dontlog-normal',
    '  option forwardfor',
    '  option redispatch',
    '  retries 2',
    '  timeout connect 2s',
    '  timeout client 65s',
    '  timeout server 65s',
    '  timeout http-request 10s',
    '  timeout tunnel 1h',
    '  timeout client-fin 5s',
    '  default-server check inter 1s fall 2 rise 1',
    '',
  ];
  for (const part of balanced) {
    lines.push(
      `frontend ${part.name}`,
      `  bind 127.0.0.1:${part.port}`,
      `  default_backend ${part.name}-instances`,
      '',
      `backend ${part.name}-instances`,
      '  balance leastconn',
      `  source ${BALANCER_SOURCE_ADDRESS}`,
      '  option httpchk',
      '  http-check send meth GET uri /ready',
      '  http-check expect status 200',
      ...part.instancePorts.map((port, i) => `  server ${part.name}-${i + 1} 127.0.0.1:${port}`),
      '',
    );
  }
  return lines.join('\n');
}

/** Throws, saying how to install it, when HAProxy is not on the PATH. */
export function requireHaproxy(): void {
  if (spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).error) {
    throw new Error('more than one instance needs HAProxy as the load balancer: apt-get install -y haproxy (.ci/run installs it)');
  }
}

/**
 * Writes the configuration to `<dir>/haproxy.cfg` and has HAProxy check it (`-c`); returns the file's path.
 * Throws with HAProxy's complaint if it refuses the file.
 */
export function writeHaproxyConfig(dir: string, balanced: BalancedPart[]): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(balanced));
  try {
    execFileSync('haproxy', ['-c', '-q', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const out = err as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`HAProxy refused ${file}: ${String(out.stderr ?? '')}${String(out.stdout ?? '')}`.trim());
  }
  return file;
}
