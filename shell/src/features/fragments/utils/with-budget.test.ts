import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BudgetExceededError, withBudget } from './with-budget.ts';

describe('withBudget', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects with BudgetExceededError when the work never settles', async () => {
    const waiting = withBudget(new Promise(() => {}), 8000, 'loading fragment mfe_catalog/CatalogPage');
    const outcome = expect(waiting).rejects.toThrow(
      new BudgetExceededError('loading fragment mfe_catalog/CatalogPage took longer than 8000 ms'),
    );
    await vi.advanceTimersByTimeAsync(7999);
    let settled = false;
    void waiting.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
  });

  it('settles like the work when it is in time, and leaves no timer behind', async () => {
    await expect(withBudget(Promise.resolve('component'), 8000, 'x')).resolves.toBe('component');
    await expect(withBudget(Promise.reject(new Error('entry 404')), 8000, 'x')).rejects.toThrow('entry 404');
    expect(vi.getTimerCount()).toBe(0);
  });
});
