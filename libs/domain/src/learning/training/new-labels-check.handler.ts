import { JobHandler, JobHandlerFor } from '@loupe/queue';
import { TrainingScheduler } from './training-scheduler.service';

/** A fire of the TRAINING_CHECK_SECONDS schedule: asks for a training run when enough new labels have arrived (trigger `new_labels`). */
@JobHandlerFor('learning.check-new-labels')
export class NewLabelsCheckHandler implements JobHandler<'learning.check-new-labels'> {
  constructor(private readonly scheduler: TrainingScheduler) {}

  handle(): Promise<void> {
    return this.scheduler.checkNewLabels();
  }
}
