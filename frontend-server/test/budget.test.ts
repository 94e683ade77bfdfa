import { TaskCancelledError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { withinBudget } from '../src/budget.ts';

describe('withinBudget', () => {
  it("settles at the deadline even when the work ignores its signal and never settles, and aborts the work's signal", async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    await expect(withinBudget(50, (signal) => ((seen = signal), new Promise<never>(() => {})))).rejects.toBeInstanceOf(TaskCancelledError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen?.aborted).toBe(true);
  });

  it("gives the work's result or its error when it is in time", async () => {
    await expect(withinBudget(1000, async () => 42)).resolves.toBe(42);
    await expect(withinBudget(1000, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
