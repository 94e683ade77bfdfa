import { describe, expect, it } from 'vitest';
import { singleFlight } from '../src/single-flight.ts';

/** A run that stays open until released, so a test can wake the flight in the middle of it. */
function gatedWork() {
  let runs = 0;
  let release: () => void = () => {};
  const work = async () => {
    runs++;
    await new Promise<void>((resolve) => (release = resolve));
  };
  return { work, runs: () => runs, release: () => release() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('singleFlight', () => {
  it('answers a burst of wake-ups during a run with exactly one more run', async () => {
    const gate = gatedWork();
    const flight = singleFlight(gate.work, () => true);
    void flight.wake();
    for (let i = 0; i < 5; i++) void flight.wake();
    expect(gate.runs()).toBe(1);
    gate.release();
    await tick();
    expect(gate.runs()).toBe(2);
    gate.release();
    await flight.idle();
    expect(gate.runs()).toBe(2);
  });

  it('does not lose a wake-up that arrives as a run is ending', async () => {
    let runs = 0;
    const flight = singleFlight(async () => {
      runs++;
    }, () => true);
    const first = flight.wake();
    // Queued behind the run's last check of its loop, before it settles.
    void Promise.resolve().then(() => flight.wake());
    await first;
    await tick();
    await flight.idle();
    expect(runs).toBe(2);
  });

  it('runs nothing once it is no longer active', async () => {
    let runs = 0;
    const flight = singleFlight(async () => {
      runs++;
    }, () => false);
    await flight.wake();
    expect(runs).toBe(0);
  });
});
