/**
 * The typed job catalog: every queue, every job, its payload and its retry
 * policy. Producers and handlers both refer to these names, so a typo is a
 * compile error and a job without a handler is a start-up error.
 */
export const QUEUE_NAMES = ['media', 'inference', 'banks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** Decode an uploaded item, hash it and check it against the banks. */
  'content.process-media': { contentId: string };
  /** Score an item with the classifiers and route it. */
  'content.classify': { contentId: string };
  /** Import a hash file into a bank. */
  'banks.import': { importId: string };
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

export interface JobDefinition<N extends JobName> {
  queue: QueueName;
  /** Total tries, the first included. */
  attempts: number;
  /** First retry delay; each later one doubles it. */
  backoffMs: number;
  /** One fixed id per entity, so enqueueing twice does the work once. */
  jobId(payload: JobPayload<N>): string;
}

export const JOB_CATALOG: { [N in JobName]: JobDefinition<N> } = {
  'content.process-media': {
    queue: 'media',
    attempts: 4,
    backoffMs: 1_000,
    jobId: ({ contentId }) => `media-${contentId}`,
  },
  'content.classify': {
    queue: 'inference',
    attempts: 4,
    backoffMs: 1_000,
    jobId: ({ contentId }) => `classify-${contentId}`,
  },
  'banks.import': {
    queue: 'banks',
    attempts: 3,
    backoffMs: 5_000,
    jobId: ({ importId }) => `bank-import-${importId}`,
  },
};

export const JOB_NAMES = Object.keys(JOB_CATALOG) as JobName[];

export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((name) => JOB_CATALOG[name].queue === queue);
}
