import { LoupeConfig } from '@loupe/config';
import type { JobQueue } from '@loupe/queue';
import { TREND_SCAN_SCHEDULE_ID, TrendScanSchedulerService } from './trend-scan-scheduler.service';

function setup(env: Record<string, string> = {}) {
  const schedules = new Map<string, unknown>();
  const jobs = {
    schedule: async (id: string, name: string, _payload: unknown, when: unknown) => void schedules.set(id, { name, when }),
    unschedule: async (id: string) => schedules.delete(id),
  };
  return { schedules, scheduler: new TrendScanSchedulerService(jobs as unknown as JobQueue, LoupeConfig.fromEnv(env)) };
}

describe('TrendScanSchedulerService', () => {
  it('scans two minutes past every hour unless told otherwise', async () => {
    const { schedules, scheduler } = setup();
    await scheduler.applySchedule();
    expect(schedules.get(TREND_SCAN_SCHEDULE_ID)).toEqual({ name: 'analysis.scan-trends', when: { cron: '2 * * * *' } });
  });

  it('takes TREND_SCAN_CRON, and removes the schedule when it is off', async () => {
    const custom = setup({ TREND_SCAN_CRON: '*/15 * * * *' });
    await custom.scheduler.applySchedule();
    expect(custom.schedules.get(TREND_SCAN_SCHEDULE_ID)).toMatchObject({ when: { cron: '*/15 * * * *' } });
    const off = setup({ TREND_SCAN_CRON: 'off' });
    off.schedules.set(TREND_SCAN_SCHEDULE_ID, 'left by an earlier process');
    await off.scheduler.applySchedule();
    expect(off.schedules.has(TREND_SCAN_SCHEDULE_ID)).toBe(false);
  });

  it('refuses a cron expression that does not parse, at boot', () => {
    expect(() => LoupeConfig.fromEnv({ TREND_SCAN_CRON: 'hourly' })).toThrow(/TREND_SCAN_CRON/);
  });
});
