/**
 * Runs `work` one at a time. A wake-up during a run schedules exactly one more run, so none is lost
 * and none piles up: how an outbox relay answers a burst of notifications. `work` handles its own
 * errors; `active` turns further runs off (on stop).
 */
export function singleFlight(work: () => Promise<void>, active: () => boolean) {
  let running: Promise<void> | undefined;
  let again = false;

  function wake(): Promise<void> {
    if (!active()) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await work();
      } while (again && active());
    })().finally(() => {
      running = undefined;
      // A wake-up that came after the loop's last check would otherwise wait for the next one.
      if (again && active()) void wake();
    });
    return running;
  }

  return {
    wake,
    /** Resolves when no run is in progress. */
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}
