import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyConfig, instanceCount, instancePort, writeHaproxyConfig } from '../src/launcher/balancer.ts';
import { parts } from '../src/parts.ts';

const part = (name: string) => parts.find((p) => p.name === name)!;

describe('more instances of a part', () => {
  it('runs each part once unless <PART>_INSTANCES says otherwise', () => {
    expect(instanceCount(part('bff-web'), {})).toBe(1);
    expect(instanceCount(part('bff-web'), { BFF_WEB_INSTANCES: '3' })).toBe(3);
    expect(instanceCount(part('catalog'), { CATALOG_INSTANCES: '2', BFF_WEB_INSTANCES: '3' })).toBe(2);
  });

  it('refuses a count that is not 1…9, naming the variable', () => {
    expect(() => instanceCount(part('bff-mobile'), { BFF_MOBILE_INSTANCES: 'three' })).toThrow(/BFF_MOBILE_INSTANCES must be a whole number from 1 to 9, got "three"/);
    expect(() => instanceCount(part('bff-web'), { BFF_WEB_INSTANCES: '0' })).toThrow(/BFF_WEB_INSTANCES/);
    expect(() => instanceCount(part('shell'), { SHELL_INSTANCES: '2' })).toThrow(/static build and runs once/);
  });

  it('puts instance i of the part on port P at 20000 + (P mod 1000)·10 + i, distinct across the default ports', () => {
    expect([1, 2, 3].map((i) => instancePort({ name: 'bff-web', port: 4000 }, i, {}))).toEqual([20001, 20002, 20003]);
    expect(instancePort({ name: 'bff-mobile', port: 4100 }, 1, {})).toBe(21001);
    expect(instancePort({ name: 'catalog', port: 7101 }, 2, {})).toBe(21012);
    expect(instancePort({ name: 'bff-web', port: 4000 }, 2, { BFF_WEB_INSTANCE_PORT_BASE: '30000' })).toBe(30002);
    const all = parts.filter((p) => !p.built).flatMap((p) => Array.from({ length: 9 }, (_, i) => instancePort(p, i + 1, {})));
    expect(new Set(all).size).toBe(all.length);
  });

  it('writes a configuration HAProxy accepts: /ready checks, forwardfor, a tunnel timeout, the balancer\'s source address', () => {
    const text = haproxyConfig([{ name: 'bff-web', port: 4000, instancePorts: [20001, 20002, 20003] }]);
    expect(text).toContain('bind 127.0.0.1:4000');
    expect(text).toContain('http-check send meth GET uri /ready');
    expect(text).toContain('option forwardfor');
    expect(text).toMatch(/timeout tunnel \d+h/);
    expect(text).toContain('source 127.0.0.2');
    expect(text.match(/server bff-web-\d 127\.0\.0\.1:2000\d/g)).toHaveLength(3);
    // `haproxy -c` checks the file: throws on a refusal.
    const file = writeHaproxyConfig(mkdtempSync(path.join(tmpdir(), 'haproxy-')), [{ name: 'bff-web', port: 4000, instancePorts: [20001, 20002] }, { name: 'catalog', port: 7101, instancePorts: [21011, 21012] }]);
    expect(readFileSync(file, 'utf8')).toContain('backend catalog-instances');
  });
});
