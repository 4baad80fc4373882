/**
 * Entry point of a training thread: one per run, so that minutes of tfjs
 * work never hold up the event loop of the process that runs jobs (BullMQ
 * renews its job locks there). Cancellation is a flag in shared memory,
 * which the trainer reads before every mini-batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HeadTrainingCancelled, trainHeads } from '@loupe/ml';
import type { TrainingThreadData, TrainingThreadMessage } from './training.tasks';

const { data, options, cancel } = workerData as TrainingThreadData;
const flag = new Int32Array(cancel);
const post = (message: TrainingThreadMessage) => parentPort!.postMessage(message);

trainHeads(data, options, {
  onEpoch: (epoch) => post({ type: 'epoch', epoch }),
  shouldStop: () => Atomics.load(flag, 0) === 1,
}).then(
  (result) => post({ type: 'done', result }),
  (error: Error) => post({ type: 'error', message: error.message, cancelled: error instanceof HeadTrainingCancelled }),
);
