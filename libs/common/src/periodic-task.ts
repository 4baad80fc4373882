/** What a periodic task logs with: Nest's Logger fits. */
export interface PeriodicTaskLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Work a process repeats on its own: a sweep at start-up, then one every
 * interval after the previous pass ended, so passes never overlap however
 * slow a store is. A failing pass is logged when the failures start and when
 * they end, not at every tick of an outage; the next tick tries again.
 * `stop` waits for a pass under way, so shutdown never cuts one in half.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<void>,
    private readonly logger: PeriodicTaskLogger,
  ) {}

  start(): void {
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.tick(), this.intervalMs);
      this.timer.unref();
    });
  }

  private async pass(): Promise<void> {
    try {
      await this.work();
      if (this.failures > 0) this.logger.log(`${this.name} works again after ${this.failures} failed passes`);
      this.failures = 0;
    } catch (error) {
      if (this.failures === 0) this.logger.warn(`${this.name} failed; retrying every ${this.intervalMs} ms: ${(error as Error).message}`);
      this.failures += 1;
    }
  }
}
