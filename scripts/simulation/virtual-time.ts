import type { Timekeeper } from '../lib/aws/rate-limit';

/**
 * Virtual time for simulations: `sleep` parks the caller on a timer; `run` lets every pending
 * promise settle, then jumps the clock to the earliest timer, until the work is done. The code
 * under test only ever waits on these timers or on resolved mocks, so no real time passes.
 */
export class VirtualTime implements Timekeeper {
  private clock = 0;
  private sequence = 0;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];

  now(): number {
    return this.clock;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.clock + Math.max(0, ms), seq: this.sequence++, wake });
    });
  }

  /** Drives `work` to completion in virtual time and returns its result. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    while (!done) {
      // A macrotask turn lets every microtask (mock replies, awaits) run first.
      await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) continue;
      this.clock = Math.max(this.clock, next.at);
      next.wake();
    }
    return settled;
  }
}
