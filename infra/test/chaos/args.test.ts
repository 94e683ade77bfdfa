import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/chaos/args.ts';
import { faultMatrix } from '../../src/chaos/faults.ts';

const names = faultMatrix({ kafkaStopMs: 30_000, serviceStopMs: 12_000, fragmentMs: 10_000 }).map((f) => f.name);

describe('chaos arguments', () => {
  it('runs everything by default', () => {
    expect(parseArgs([], names)).toEqual({ only: [], list: false, help: false });
  });

  it('takes --only as a separate value, with =, comma-separated or repeated, in matrix order without repeats', () => {
    expect(parseArgs(['--only', 'kafka-kill'], names).only).toEqual(['kafka-kill']);
    expect(parseArgs(['--only=pg-orders,kafka-kill', '--only', 'pg-orders'], names).only).toEqual(['kafka-kill', 'pg-orders']);
  });

  it('reads --list and --help', () => {
    expect(parseArgs(['--list'], names).list).toBe(true);
    expect(parseArgs(['-h'], names).help).toBe(true);
  });

  it('refuses an unknown fault, a missing value and an unknown flag with a message that says which', () => {
    expect(() => parseArgs(['--only', 'kafka-explode'], names)).toThrow(new UsageError('unknown fault "kafka-explode"; --list shows the 28 names'));
    expect(() => parseArgs(['--only'], names)).toThrow(/--only needs a fault name/);
    expect(() => parseArgs(['--only', '--list'], names)).toThrow(/--only needs a fault name/);
    expect(() => parseArgs(['--fast'], names)).toThrow(/unknown argument "--fast"/);
  });
});

describe('fault matrix', () => {
  it('names every fault the issue lists, once each', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['kafka-kill', 'kafka-stop', 'payments-stop', 'orders-kill', 'bff-web-term', 'bff-mobile-kill', 'pg-inventory', 'redis-kill', 'mfe-catalog-hung', 'mfe-cart-down']) {
      expect(names).toContain(n);
    }
  });
});
