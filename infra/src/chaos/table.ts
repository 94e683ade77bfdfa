import { rowFailures, type FaultRow, type OpCount } from './invariants.ts';

/** The chaos table: one header, one line per fault, then notes for rows that failed. */

const yesNo = (v: boolean | null, yes = 'yes', no = 'NO') => (v === null ? '-' : v ? yes : no);

/** `12.3 s`, or `never` when the system did not recover within the budget. */
export const formatRecovery = (ms: number | null): string => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/** `kind ok` per operation kind, `/failed` appended where some failed: `web 120 stock 40/2`. */
export const formatOps = (ops: Record<string, OpCount>): string =>
  Object.entries(ops).map(([kind, c]) => `${kind} ${c.ok}${c.failed ? `/${c.failed}` : ''}`).join(' ') || 'none';

const COLUMNS = ['fault', 'recover', 'outbox', 'readmodel', 'notfinal', 'money', 'stock', 'live', 'ready-body', 'ready-200', 'health', 'fallback', 'result', 'ops (ok/failed) in the window'];

/** The cells of one row, in COLUMNS order. */
export function rowCells(row: FaultRow): string[] {
  const pending = Object.values(row.outboxPending).reduce((a, b) => a + b, 0);
  const failures = rowFailures(row);
  return [
    row.fault,
    formatRecovery(row.recoverMs),
    String(pending),
    String(row.readModelDiffs),
    String(row.ordersNotFinal),
    String(row.moneyTaken),
    String(row.stockOff),
    String(row.liveBehind.length),
    yesNo(row.readyBodyTruthful, 'truthful', 'LIED'),
    yesNo(row.readyStatusServing),
    yesNo(row.healthTruthful, 'truthful', 'LIED'),
    yesNo(row.fallbackShown),
    failures.length ? 'FAIL' : 'pass',
    formatOps(row.ops),
  ];
}

/** Lays rows out under the header with columns padded to their widest cell; the last column is not padded. */
export function formatTable(rows: FaultRow[]): string {
  const lines = [COLUMNS, ...rows.map(rowCells)];
  const widths = COLUMNS.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [render(lines[0]!), widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? COLUMNS[i]!.length : w)).join('  '), ...lines.slice(1).map(render)];
  const notes = rows.flatMap((r) => {
    const failures = rowFailures(r);
    const why = [...(failures.length ? [`failed: ${failures.join(', ')}`] : []), ...r.crashes, ...r.notes];
    return why.length ? [`  ${r.fault}: ${why.join('; ')}`] : [];
  });
  return [...out, ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
