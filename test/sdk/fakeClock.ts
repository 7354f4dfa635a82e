import type { Clock } from "../../sdk/clock";

/**
 * A clock whose sleeps pass instantly: `sleep(ms)` moves virtual time forward to the sleeper's wake-up time (never
 * backwards). Hour-long rate-limit windows run in microseconds, and the sleeps are recorded for assertions.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.UTC(2026, 0, 1, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time = Math.max(this.time, this.time + Math.max(0, ms));
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
