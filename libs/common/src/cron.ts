/**
 * A five-field cron expression (minute hour day-of-month month day-of-week),
 * as TRAINING_CRON takes it: `*`, numbers, lists (`1,15`), ranges (`1-5`)
 * and steps (`*\/15`, `0-30/10`). Day-of-week 0 and 7 are Sunday. As in cron,
 * when both day fields are restricted, a day matching either one matches.
 */
export interface CronSchedule {
  matches(at: Date): boolean;
  /** The first minute strictly after `after` that the schedule names (UTC; seconds are zero). */
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** The longest each month can be (February in a leap year). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** A named day always comes within 8 years (the 29th of February skips 2100), so a search this long finds it. */
const SEARCH_MS = 9 * 366 * 24 * 3600_000;
const MINUTE_MS = 60_000;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron ${field.name}: bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [field.min, field.max];
    else if (range.includes('-')) [from, to] = range.split('-').map(Number) as [number, number];
    else [from, to] = [Number(range), stepText === undefined ? Number(range) : field.max];
    if (![from, to].every((n) => Number.isInteger(n) && n >= field.min && n <= field.max) || from > to) {
      throw new Error(`cron ${field.name}: "${part}" is outside ${field.min}-${field.max}`);
    }
    for (let v = from; v <= to; v += step) values.add(field.name === 'day of week' && v === 7 ? 0 : v);
  }
  return values;
}

/** Parses an expression; throws with the field named when it does not parse, or names a day that never comes. Times are UTC. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron: expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]));
  const dayRestricted = parts[2] !== '*';
  const weekdayRestricted = parts[4] !== '*';
  // `0 0 30 2 *` parses, but would never run: refused here, where the operator sees it, rather than never firing.
  if (dayRestricted && !weekdayRestricted && ![...months].some((month) => [...days].some((day) => day <= MONTH_DAYS[month - 1]))) {
    throw new Error(`cron day of month: "${parts[2]}" never occurs in month "${parts[3]}"`);
  }
  const dayMatches = (at: Date): boolean => {
    const day = days.has(at.getUTCDate());
    const weekday = weekdays.has(at.getUTCDay());
    if (dayRestricted && weekdayRestricted) return day || weekday;
    return day && weekday;
  };
  return {
    matches(at: Date): boolean {
      if (!minutes.has(at.getUTCMinutes()) || !hours.has(at.getUTCHours()) || !months.has(at.getUTCMonth() + 1)) return false;
      return dayMatches(at);
    },
    next(after: Date): Date {
      // Field by field from the largest: a month that does not match skips to the next month's
      // first minute, a day to the next midnight, an hour to the next hour, so a yearly schedule
      // takes a few dozen steps rather than half a million minutes.
      const at = new Date(Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
      const limit = at.getTime() + SEARCH_MS;
      while (at.getTime() <= limit) {
        if (!months.has(at.getUTCMonth() + 1)) {
          at.setUTCMonth(at.getUTCMonth() + 1, 1);
          at.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(at)) {
          at.setUTCDate(at.getUTCDate() + 1);
          at.setUTCHours(0, 0, 0, 0);
        } else if (!hours.has(at.getUTCHours())) {
          at.setUTCHours(at.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes.has(at.getUTCMinutes())) {
          at.setUTCMinutes(at.getUTCMinutes() + 1, 0, 0);
        } else {
          return at;
        }
      }
      // parseCron refuses what never matches; this guards the loop, should that check miss a case.
      throw new Error(`cron: "${expression}" names no time before ${new Date(limit).toISOString()}`);
    },
  };
}
