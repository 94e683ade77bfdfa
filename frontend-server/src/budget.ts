import { timeout, TimeoutStrategy } from 'cockatiel';

/**
 * Runs `work` with an AbortSignal that aborts at `budgetMs` (ms), and settles by then whatever the work
 * does: resolves with its result, or rejects with cockatiel's TaskCancelledError when it is late, or with its
 * error. The signal alone does not bound a fetch that reads a body: one aborted while its body is being read
 * can leave the read pending forever (nodejs/node#56917), which held a page of the shell for good.
 */
export function withinBudget<T>(budgetMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return timeout(budgetMs, TimeoutStrategy.Aggressive).execute(({ signal }) => work(signal));
}
