/**
 * The typed job catalog: every queue, every job, its payload and its retry
 * policy. Producers and handlers both refer to these names, so a typo is a
 * compile error and a job without a handler is a start-up error.
 */
import type { LoupeConfig } from '@loupe/config';

// Webhook deliveries have a queue of their own, so a slow receiver never holds up media or inference;
// so does training, which runs for minutes.
export const QUEUE_NAMES = ['media', 'inference', 'banks', 'webhooks', 'learning'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** Decode an uploaded item, hash it and check it against the banks. */
  'content.process-media': { contentId: string };
  /** Score an item with the classifiers and route it. */
  'content.classify': { contentId: string };
  /** Import a hash file into a bank. */
  'banks.import': { importId: string };
  /** Re-check allowed content whose views per hour crossed a virality tier: re-score, re-match, review if the tier says so. */
  'analysis.virality-recheck': { contentId: string; tier: number };
  /** Re-match or re-score recent allowed content after a bank gained entries or a model was promoted. */
  'analysis.retro-hunt': { huntId: string };
  /** Send one webhook delivery; `round` counts replays, so a replay gets a new job id. */
  'webhooks.deliver': { deliveryId: string; round: number };
  /** Run one training run: dataset, features, training, evaluation, a new model version. */
  'learning.train': { runId: string };
  /** Compute and store the features of items that predate them (image embeddings for the current backbone). */
  'learning.backfill-features': { backfillId: string };
  /** Ask for a training run: TRAINING_CRON's schedule fires it. */
  'learning.scheduled-train': Record<string, never>;
  /** Count the labels since the last run and ask for a run at TRAINING_NEW_LABELS; fires every TRAINING_CHECK_SECONDS. */
  'learning.check-new-labels': Record<string, never>;
  /** Scan the last hours for emerging trends (term bursts, new visual clusters, bank-match surges); fires on TREND_SCAN_CRON. */
  'analysis.scan-trends': Record<string, never>;
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];
/** Jobs that only a schedule starts (JobQueue.schedule); the driver gives each fire an id of its own. */
export type ScheduledJobName = 'learning.scheduled-train' | 'learning.check-new-labels' | 'analysis.scan-trends';
/** Jobs that producers enqueue, under the catalog's fixed id. */
export type EnqueuedJobName = Exclude<JobName, ScheduledJobName>;

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  /** First retry delay; each later one doubles it. */
  backoffMs: number;
}

interface JobDefinitionBase {
  queue: QueueName;
  /** Total tries, the first included. */
  attempts: number;
  /** First retry delay; each later one doubles it. */
  backoffMs: number;
  /** When set, the operator's configuration replaces `attempts` and `backoffMs` (a schedule tests can shorten). */
  configuredRetry?(config: LoupeConfig): RetryPolicy;
}

export interface EnqueuedJobDefinition<N extends EnqueuedJobName> extends JobDefinitionBase {
  /** One fixed id per entity, so enqueueing twice does the work once. */
  jobId(payload: JobPayload<N>): string;
}

export interface ScheduledJobDefinition extends JobDefinitionBase {
  /** Started by a schedule, never enqueued: each fire is a job of its own (`repeat:<scheduler id>:<time>`). */
  scheduled: true;
}

export type JobDefinition<N extends JobName> = N extends EnqueuedJobName ? EnqueuedJobDefinition<N> : ScheduledJobDefinition;

export const JOB_CATALOG: { [N in JobName]: JobDefinition<N> } = {
  'content.process-media': {
    queue: 'media',
    attempts: 4,
    backoffMs: 1_000,
    jobId: ({ contentId }) => `media-${contentId}`,
  },
  'analysis.virality-recheck': {
    queue: 'inference',
    attempts: 4,
    backoffMs: 1_000,
    jobId: ({ contentId, tier }) => `virality-${contentId}-${tier}`,
  },
  'analysis.retro-hunt': {
    queue: 'learning',
    attempts: 4,
    backoffMs: 2_000,
    jobId: ({ huntId }) => `retro-hunt-${huntId}`,
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
  'webhooks.deliver': {
    queue: 'webhooks',
    // At least once, for hours: 8 tries, 3 minutes doubling (about 6 h 21 min in all), unless configured.
    attempts: 8,
    backoffMs: 180_000,
    jobId: ({ deliveryId, round }) => `webhook-${deliveryId}-${round}`,
    configuredRetry: (config) => ({ attempts: config.webhooks.maxAttempts, backoffMs: config.webhooks.retryBaseMs }),
  },
  'learning.train': {
    queue: 'learning',
    // A retry starts the run over: a store that was down comes back; a run that failed for its data fails again, plainly.
    attempts: 2,
    backoffMs: 5_000,
    jobId: ({ runId }) => `train-${runId}`,
  },
  'learning.backfill-features': {
    queue: 'learning',
    // A retry resumes after the backfill's cursor: a model pass or a store that failed for a moment is tried again.
    attempts: 4,
    backoffMs: 5_000,
    jobId: ({ backfillId }) => `features-backfill-${backfillId}`,
  },
  'learning.scheduled-train': {
    queue: 'learning',
    // Retried: a database that blinks at 02:00 would otherwise cost the day's run.
    attempts: 3,
    backoffMs: 30_000,
    scheduled: true,
  },
  'learning.check-new-labels': {
    queue: 'learning',
    // Not retried: the next check, TRAINING_CHECK_SECONDS later, is the retry.
    attempts: 1,
    backoffMs: 1_000,
    scheduled: true,
  },
  'analysis.scan-trends': {
    // A short read of the last hours, beside the loop's other scheduled reads of stored records.
    queue: 'learning',
    // Retried once: a scan missed is caught up by the next (it re-reads its whole window), but an hour late.
    attempts: 2,
    backoffMs: 30_000,
    scheduled: true,
  },
};

/** The enqueued jobs' definitions, typed so that a job's `jobId` takes that job's payload. */
const ENQUEUED_CATALOG: { [N in EnqueuedJobName]: EnqueuedJobDefinition<N> } = JOB_CATALOG;

/** The fixed id a job is enqueued under. */
export function jobIdOf<N extends EnqueuedJobName>(name: N, payload: JobPayload<N>): string {
  return ENQUEUED_CATALOG[name].jobId(payload);
}

export const JOB_NAMES = Object.keys(JOB_CATALOG) as JobName[];

/** How often a job is tried and how long its retries wait, from the catalog and, where it says so, the configuration. */
export function retryPolicyOf(name: JobName, config?: LoupeConfig): RetryPolicy {
  const definition: JobDefinition<JobName> = JOB_CATALOG[name] as JobDefinition<JobName>;
  if (config && definition.configuredRetry) return definition.configuredRetry(config);
  return { attempts: definition.attempts, backoffMs: definition.backoffMs };
}

export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((name) => JOB_CATALOG[name].queue === queue);
}
