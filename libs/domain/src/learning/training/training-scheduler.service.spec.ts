import { Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import type { TrainingLabelRepository, TrainingRunRepository } from '@loupe/database';
import type { JobQueue } from '@loupe/queue';
import type { TrainingRunService } from './training-run.service';
import { NEW_LABELS_CHECK_ID, TRAINING_SCHEDULE_ID, TrainingScheduler } from './training-scheduler.service';

/** The runs and labels tables as the scheduler reads them, the queue's schedules, and the runs asked for. */
function setup(env: Record<string, string> = {}) {
  const config = LoupeConfig.fromEnv({ TRAINING_NEW_LABELS: '4', TRAINING_CHECK_SECONDS: '5', ...env });
  const state = { lastRun: null as Date | null, lastScheduled: null as Date | null, labels: 0, failing: null as Error | null, busy: false };
  const requested: string[] = [];
  const schedules = new Map<string, unknown>();
  const runs = {
    lastCreatedAt: async (trigger?: string) => {
      if (state.failing) throw state.failing;
      return trigger === 'schedule' ? state.lastScheduled : state.lastRun;
    },
  };
  const labels = { count: async () => state.labels };
  const training = {
    request: async (_input: unknown, _actor: null, trigger: string) => {
      if (state.busy) throw ApiError.conflict('training.already_running', 'one run at a time');
      requested.push(trigger);
      state.lastRun = new Date();
      if (trigger === 'schedule') state.lastScheduled = state.lastRun;
      return { id: `run-${requested.length}` };
    },
  };
  const jobs = {
    schedule: async (id: string, name: string, _payload: unknown, when: unknown) => void schedules.set(id, { name, when }),
    unschedule: async (id: string) => schedules.delete(id),
  };
  const scheduler = new TrainingScheduler(
    runs as unknown as TrainingRunRepository,
    labels as unknown as TrainingLabelRepository,
    training as unknown as TrainingRunService,
    jobs as unknown as JobQueue,
    config,
  );
  return { scheduler, state, requested, schedules };
}

describe('TrainingScheduler', () => {
  it('sets the two schedules from the configuration, and removes the ones it turns off', async () => {
    const on = setup({ TRAINING_CRON: '15 3 * * *' });
    await on.scheduler.applySchedules();
    expect(Object.fromEntries(on.schedules)).toEqual({
      [TRAINING_SCHEDULE_ID]: { name: 'learning.scheduled-train', when: { cron: '15 3 * * *' } },
      [NEW_LABELS_CHECK_ID]: { name: 'learning.check-new-labels', when: { everyMs: 5_000 } },
    });

    const off = setup({ TRAINING_CRON: 'off', TRAINING_NEW_LABELS: '0' });
    off.schedules.set(TRAINING_SCHEDULE_ID, {}).set(NEW_LABELS_CHECK_ID, {});
    await off.scheduler.applySchedules();
    expect(off.schedules.size).toBe(0);
  });

  it('leaves the schedules alone in a process that runs no jobs', async () => {
    const api = setup({ LOUPE_MODE: 'api', REDIS_URL: 'redis://127.0.0.1:6379' });
    api.scheduler.onApplicationBootstrap();
    await api.scheduler.onApplicationShutdown();
    expect(api.schedules.size).toBe(0);
  });

  it('asks for one scheduled run per minute, and spends the fire on a run under way', async () => {
    const { scheduler, state, requested } = setup();
    await scheduler.onSchedule(new Date());
    await scheduler.onSchedule(new Date());
    expect(requested).toEqual(['schedule']);

    state.lastScheduled = new Date(Date.now() - 120_000);
    state.busy = true;
    await expect(scheduler.onSchedule(new Date())).resolves.toBeUndefined();
    expect(requested).toEqual(['schedule']);
  });

  it('asks for a run when enough labels have arrived since the last one', async () => {
    const { scheduler, state, requested } = setup();
    state.labels = 3;
    await scheduler.checkNewLabels();
    expect(requested).toEqual([]);
    state.labels = 4;
    await scheduler.checkNewLabels();
    expect(requested).toEqual(['new_labels']);
    state.busy = true;
    await scheduler.checkNewLabels();
    expect(requested).toEqual(['new_labels']);
  });

  it('lets a failed check pass, logging an outage when it starts and when it ends', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const { scheduler, state } = setup();
      state.failing = new Error('database down');
      for (let i = 0; i < 3; i++) await expect(scheduler.checkNewLabels()).resolves.toBeUndefined();
      expect(warn.mock.calls.map(([message]) => message)).toEqual([expect.stringContaining('database down')]);
      state.failing = null;
      await scheduler.checkNewLabels();
      expect(log.mock.calls.map(([message]) => message)).toEqual(['Checking for new labels works again after 3 failed checks']);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });
});
