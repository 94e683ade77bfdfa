import type { FaultRow } from '../../src/chaos/invariants.ts';

/** A row with every invariant holding; tests override what they are about. */
export const cleanRow = (over: Partial<FaultRow> = {}): FaultRow => ({
  fault: 'kafka-kill', recoverMs: 4200, outboxPending: { catalog: 0, inventory: 0 }, readModelDiffs: 0, ordersNotFinal: 0,
  moneyTaken: 0, stockOff: 0, liveBehind: [], readyBodyTruthful: true, readyStatusServing: true, healthTruthful: true,
  fallbackShown: null, crashes: [], ops: { web: { ok: 10, failed: 0 } }, notes: [], ...over,
});
