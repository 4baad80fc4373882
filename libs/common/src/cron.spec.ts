import { CronExpressionParser } from 'cron-parser';
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

  it('refuses a day of month that never comes, which would never run', () => {
    expect(() => parseCron('0 0 30 2 *')).toThrow(/day of month: "30" never occurs in month "2"/);
    expect(() => parseCron('0 0 31 4,6 *')).toThrow(/never occurs/);
    // Either day field is enough: Mondays in February.
    expect(parseCron('0 0 30 2 1').next(at('2026-01-01T00:00:00Z'))).toEqual(at('2026-02-02T00:00:00Z'));
  });
});

describe('CronSchedule.next', () => {
  it('gives the next minute the schedule names, strictly after the time given', () => {
    const daily = parseCron('0 2 * * *');
    expect(daily.next(at('2026-12-02T01:59:30Z'))).toEqual(at('2026-12-02T02:00:00Z'));
    expect(daily.next(at('2026-12-02T02:00:00Z'))).toEqual(at('2026-12-03T02:00:00Z'));
    expect(daily.next(at('2026-12-31T02:00:00.001Z'))).toEqual(at('2027-01-01T02:00:00Z'));
    expect(parseCron('* * * * *').next(at('2026-12-02T10:15:59.999Z'))).toEqual(at('2026-12-02T10:16:00Z'));
    expect(parseCron('*/15 9-17 * * 1-5').next(at('2026-12-04T17:50:00Z'))).toEqual(at('2026-12-07T09:00:00Z')); // Friday evening → Monday
  });

  it('keeps the either-day rule, and finds a 29th of February years away', () => {
    const either = parseCron('0 0 13 * 5'); // the 13th, or a Friday
    expect(either.next(at('2026-12-01T00:00:00Z'))).toEqual(at('2026-12-04T00:00:00Z')); // a Friday
    expect(either.next(at('2026-12-11T00:00:00Z'))).toEqual(at('2026-12-13T00:00:00Z')); // a Sunday, the 13th
    expect(parseCron('30 12 29 2 *').next(at('2097-03-01T00:00:00Z'))).toEqual(at('2104-02-29T12:30:00Z')); // 2100 is not a leap year
  });

  it('agrees with cron-parser, which the BullMQ driver hands the same expression to', () => {
    const expressions = ['0 2 * * *', '*/7 * * * *', '5 4 * * 0', '0 0 1,15 * 3', '0 12 * 2-4 1-5', '10-40/10 */5 */3 * 7', '0 0 29 2 *'];
    let from = at('2026-01-30T23:58:00Z');
    for (const expression of expressions) {
      const cron = parseCron(expression);
      const reference = CronExpressionParser.parse(expression, { currentDate: from, tz: 'UTC' });
      let ours = from;
      for (let i = 0; i < 40; i++) {
        ours = cron.next(ours);
        expect([expression, ours.toISOString()]).toEqual([expression, reference.next().toISOString()]);
        expect(cron.matches(ours)).toBe(true);
      }
      from = new Date(from.getTime() + 37 * 86_400_000 + 7 * 60_000);
    }
  });
});
