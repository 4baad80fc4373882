import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HeadEpoch, HeadTrainingData, HeadTrainingOptions, HeadTrainingResult } from '@loupe/ml';
import type { TrainingThreadData, TrainingThreadMessage } from './training.tasks';

function workerFile(): string {
  const compiled = path.join(__dirname, 'training.worker.js');
  return existsSync(compiled) ? compiled : path.join(__dirname, 'training.worker.dev.cjs');
}

/** Ends a training run that was asked to stop. */
export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled');
    this.name = 'TrainingCancelledError';
  }
}

export interface TrainingThreadHooks {
  onEpoch?(epoch: HeadEpoch): void;
  /** Polled while the thread trains; true stops it before its next mini-batch. */
  shouldStop?(): boolean | Promise<boolean>;
  /** How often shouldStop is asked. */
  pollMs?: number;
}

/**
 * Trains heads in a thread of their own (tfjs on the wasm backend, one
 * thread): the process that runs jobs stays responsive, and a run that is
 * cancelled or fails takes its memory with it when the thread ends.
 */
export async function trainInThread(data: HeadTrainingData, options: Partial<HeadTrainingOptions>, hooks: TrainingThreadHooks = {}): Promise<HeadTrainingResult> {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const worker = new Worker(workerFile(), { workerData: { data, options, cancel } satisfies TrainingThreadData });
  let polling = false;
  const poll = setInterval(() => {
    if (polling || !hooks.shouldStop) return;
    polling = true;
    Promise.resolve(hooks.shouldStop())
      .then((stop) => {
        if (stop) Atomics.store(flag, 0, 1);
      })
      .catch(() => undefined)
      .finally(() => (polling = false));
  }, hooks.pollMs ?? 1000);
  try {
    return await new Promise<HeadTrainingResult>((resolve, reject) => {
      worker.on('message', (message: TrainingThreadMessage) => {
        if (message.type === 'epoch') hooks.onEpoch?.(message.epoch);
        else if (message.type === 'done') resolve(message.result);
        else reject(message.cancelled ? new TrainingCancelledError() : new Error(message.message));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`The training thread exited with code ${code}`)));
    });
  } finally {
    clearInterval(poll);
    await worker.terminate();
  }
}
