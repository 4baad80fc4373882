import { JobHandler, JobHandlerFor } from '@loupe/queue';
import { TrainingScheduler } from './training-scheduler.service';

/** A fire of TRAINING_CRON's schedule: asks for a training run (trigger `schedule`). */
@JobHandlerFor('learning.scheduled-train')
export class ScheduledTrainingHandler implements JobHandler<'learning.scheduled-train'> {
  constructor(private readonly scheduler: TrainingScheduler) {}

  handle(): Promise<void> {
    return this.scheduler.onSchedule();
  }
}
