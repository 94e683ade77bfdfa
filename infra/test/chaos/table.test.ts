import { describe, expect, it } from 'vitest';
import { formatOps, formatRecovery, formatTable } from '../../src/chaos/table.ts';
import { cleanRow } from './rows.ts';

describe('chaos table', () => {
  it('prints recovery in seconds, or never', () => {
    expect(formatRecovery(4249)).toBe('4.2 s');
    expect(formatRecovery(null)).toBe('never');
  });

  it('prints each kind of operation with its failures only when there were some', () => {
    expect(formatOps({ web: { ok: 120, failed: 0 }, stock: { ok: 40, failed: 2 } })).toBe('web 120 stock 40/2');
    expect(formatOps({})).toBe('none');
  });

  it('aligns one line per fault under the header and explains failed rows below', () => {
    const out = formatTable([
      cleanRow(),
      cleanRow({ fault: 'payments-stop', recoverMs: null, moneyTaken: 1, healthTruthful: null, notes: ['1 payment(s) authorized for orders not confirmed'] }),
    ]).split('\n');
    expect(out[0]).toMatch(/^fault\s+recover\s+outbox\s+readmodel\s+notfinal\s+money\s+stock\s+live\s+ready-body\s+ready-200\s+health\s+fallback\s+result\s+ops/);
    expect(out[2]).toMatch(/^kafka-kill\s+4\.2 s\s+0\s+0\s+0\s+0\s+0\s+0\s+truthful\s+yes\s+truthful\s+-\s+pass\s+web 10$/);
    expect(out[3]).toMatch(/^payments-stop\s+never\s+0\s+0\s+0\s+1\s+.*\s+-\s+-\s+FAIL\s+web 10$/);
    // Columns line up: every row's second cell starts where the header's does.
    expect(out[2]!.indexOf('4.2 s')).toBe(out[0]!.indexOf('recover'));
    expect(out.slice(4)).toEqual(['', 'notes:', '  payments-stop: failed: recovered=no, money-taken=1; 1 payment(s) authorized for orders not confirmed']);
  });
});
