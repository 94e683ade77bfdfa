/** A wait across a process boundary that took longer than its budget. */
export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError';
}

/**
 * Settles like `work`, or rejects with BudgetExceededError once `budgetMs` (ms) have passed first.
 * The work itself is not cancelled (a module import cannot be); its late result is ignored.
 * A few lines rather than a policy library: the shell's bundle has none, and this is all it needs.
 */
export function withBudget<T>(work: Promise<T>, budgetMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceededError(`${what} took longer than ${budgetMs} ms`)), budgetMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
