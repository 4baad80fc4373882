/**
 * How simulated time works.
 *
 * The world is laid out in simulated milliseconds from the start of the run
 * (0 … hours × 3 600 000). The driver advances it in steps of `tickMinutes`:
 * in each step it uploads the step's items, lets the moderators work the
 * step's minutes, then reports the views and user reports of the step's end.
 * A step takes as long in real time as Loupe needs for that work, not a
 * fixed rate: a simulated day runs in minutes, so simulated time is
 * compressed, unevenly.
 *
 * What the simulator can date, and what it cannot:
 * - The platform's events carry the platform's time, as a real platform's
 *   do: uploads `postedAt`, user reports `reportedAt`, view counts
 *   `observedAt`. The simulator sends the simulated instant as wall time
 *   `epoch + simulated ms`, where `epoch` lies a run's length (plus an hour)
 *   before the run started, on the hour: the simulation runs ahead of the
 *   real clock, and Loupe refuses event times ahead of its own. So the whole
 *   simulated day lies in the recent past for the server, and what Loupe
 *   derives from event times (views per hour and virality tiers, trends
 *   bucketed by the hour of posting, a trend scan "as of" a simulated hour)
 *   runs on simulated time.
 * - Loupe's own acts (its decisions at ingest, claims, moderators'
 *   decisions, appeals) are stamped by its clock, which is after every
 *   simulated instant. The simulator maps those stamps back to simulated
 *   time with the marks it records at each step's end (real time ↔
 *   simulated time, linear in between), and keeps its own simulated times
 *   of what it did in its ledger. The report's figures come from the
 *   simulated times. Everything Loupe has stamped when the simulator asks
 *   for a trend scan at a simulated hour happened, in simulated time, by
 *   that hour (the world is driven in order), so the hourly scan reads the
 *   hours up to it as of the real now (`asOf`): the removals and the items
 *   held for review so far, and the user reports up to that hour. As of the
 *   hour itself, it saw none of Loupe's own acts and detected a trend from
 *   reports alone, late when the trend's first items were held for review,
 *   where nobody saw or reported them.
 * - Loupe's analyses on its own clock (SLA deadlines, wellbeing budgets per
 *   rolling hour, "removed within 24 hours" in the transparency figures)
 *   see the compressed real timeline. The simulator therefore applies the
 *   moderators' exposure budget in simulated time itself, and a server it
 *   starts has the real-time budget lifted (SIMULATION_SERVER_ENV).
 */
export class SimClock {
  /** (real ms, simulated ms) at each step's end, increasing in both. */
  private readonly marks: { real: number; sim: number }[] = [];

  constructor(
    /** Simulated 0 on the wall: see epochFor. */
    readonly epoch: number,
    now = Date.now(),
  ) {
    this.marks.push({ real: now, sim: 0 });
  }

  /** Records that simulated time `sim` was reached at real time `real`. */
  mark(sim: number, real = Date.now()): void {
    const last = this.marks[this.marks.length - 1];
    this.marks.push({ real: Math.max(real, last.real + 1), sim: Math.max(sim, last.sim) });
  }

  /** The wall time a simulated instant is reported as (views' observedAt). */
  wall(sim: number): Date {
    return new Date(this.epoch + sim);
  }

  /** A server timestamp (real) as simulated time: interpolated between the marks; past the last mark, the last mark's time. */
  toSim(real: number | string | Date): number {
    const at = typeof real === 'number' ? real : new Date(real).getTime();
    const marks = this.marks;
    if (at <= marks[0].real) return marks[0].sim;
    const last = marks[marks.length - 1];
    if (at >= last.real) return last.sim;
    let lo = 0;
    let hi = marks.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (marks[mid].real <= at) lo = mid;
      else hi = mid;
    }
    const a = marks[lo];
    const b = marks[hi];
    return a.sim + ((at - a.real) / (b.real - a.real)) * (b.sim - a.sim);
  }

  /** Simulated ms per real ms so far. */
  compression(now = Date.now()): number {
    const last = this.marks[this.marks.length - 1];
    return last.sim / Math.max(1, now - this.marks[0].real);
  }
}

/** The wall time of simulated 0 for a run of `hours` starting now: on the hour, so that the run ends an hour or more before the real start. */
export function epochFor(hours: number, startedAt: number, hourMs = 3_600_000): number {
  return Math.floor(startedAt / hourMs) * hourMs - (Math.ceil(hours) + 1) * hourMs;
}
