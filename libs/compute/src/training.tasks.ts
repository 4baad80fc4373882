import type { HeadEpoch, HeadTrainingData, HeadTrainingOptions, HeadTrainingResult } from '@loupe/ml';

export interface TrainingThreadData {
  data: HeadTrainingData;
  options: Partial<HeadTrainingOptions>;
  /** One Int32: 1 asks the trainer to stop. */
  cancel: SharedArrayBuffer;
}

export type TrainingThreadMessage =
  | { type: 'epoch'; epoch: HeadEpoch }
  | { type: 'done'; result: HeadTrainingResult }
  | { type: 'error'; message: string; cancelled: boolean };
