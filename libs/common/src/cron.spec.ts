import { parseCron } from './cron';

const at = (iso: string) => new Date(iso);

describe('parseCron', () => {
  it('matches the default, daily at 02:00 UTC, and nothing else', () => {
    const daily = parseCron('0 2 * * *');
    expect(daily.matches(at('2026-12-02T02:00:30Z'))).toBe(true);
    expect(daily.matches(at('2026-12-02T02:01:00Z'))).toBe(false);
    expect(daily.matches(at('2026-12-02T14:00:00Z'))).toBe(false);
  });

  it('takes lists, ranges and steps', () => {
    const cron = parseCron('*/15 9-17 * * 1-5');
    expect(cron.matches(at('2026-12-02T09:45:00Z'))).toBe(true); // a Wednesday
    expect(cron.matches(at('2026-12-02T09:40:00Z'))).toBe(false);
    expect(cron.matches(at('2026-12-06T09:45:00Z'))).toBe(false); // a Sunday
    expect(parseCron('0 0 1,15 * *').matches(at('2026-12-15T00:00:00Z'))).toBe(true);
  });

  it('treats 7 as Sunday, and either restricted day field as enough', () => {
    expect(parseCron('0 0 * * 7').matches(at('2026-12-06T00:00:00Z'))).toBe(true);
    const either = parseCron('0 0 1 * 1');
    expect(either.matches(at('2026-12-01T00:00:00Z'))).toBe(true); // the 1st, a Tuesday
    expect(either.matches(at('2026-12-07T00:00:00Z'))).toBe(true); // a Monday
    expect(either.matches(at('2026-12-08T00:00:00Z'))).toBe(false);
  });

  it('refuses what does not parse, naming the field', () => {
    expect(() => parseCron('0 2 * *')).toThrow(/5 fields/);
    expect(() => parseCron('61 2 * * *')).toThrow(/minute/);
    expect(() => parseCron('0 2 * 13 *')).toThrow(/month/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
  });
});
