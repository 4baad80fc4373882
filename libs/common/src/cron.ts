/**
 * A five-field cron expression (minute hour day-of-month month day-of-week),
 * as TRAINING_CRON takes it: `*`, numbers, lists (`1,15`), ranges (`1-5`)
 * and steps (`*\/15`, `0-30/10`). Day-of-week 0 and 7 are Sunday. As in cron,
 * when both day fields are restricted, a day matching either one matches.
 */
export interface CronSchedule {
  matches(at: Date): boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

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

/** Parses an expression; throws with the field named when it does not parse. Times are UTC. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron: expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]));
  const dayRestricted = parts[2] !== '*';
  const weekdayRestricted = parts[4] !== '*';
  return {
    matches(at: Date): boolean {
      if (!minutes.has(at.getUTCMinutes()) || !hours.has(at.getUTCHours()) || !months.has(at.getUTCMonth() + 1)) return false;
      const day = days.has(at.getUTCDate());
      const weekday = weekdays.has(at.getUTCDay());
      if (dayRestricted && weekdayRestricted) return day || weekday;
      return day && weekday;
    },
  };
}
