import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Reads a store and sets gauges; runs at each scrape. */
export type MetricsCollector = () => Promise<void>;

/** A collector that has not answered by then is reported down: a scrape must answer within Prometheus's timeout (10 s by default). */
export const COLLECT_TIMEOUT_MS = 3_000;

// Seconds. Decisions take from well under a second (a hash match) to minutes (a long video behind a backlog).
const DECISION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
const JOB_WAIT_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const JOB_RUN_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
// A PDQ hash takes about 2 ms, a classification 5 to 60 ms of a compute thread; the rest is waiting for a free thread.
const COMPUTE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LOOKUP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Every metric a Loupe process exports, in a registry of its own: not
 * prom-client's global one, so that several applications in one process
 * (the e2e tests) never share or collide. One instance per application.
 *
 * Counters and histograms are recorded where the work happens. Gauges of
 * shared state (queues, review backlog, the index, what serves) are read by
 * collectors at scrape time, so an idle process costs nothing.
 */
@Injectable()
export class LoupeMetrics {
  private readonly logger = new Logger(LoupeMetrics.name);
  readonly registry = new Registry();
  private readonly collectors = new Map<string, { collect: MetricsCollector; owns: Gauge[] }>();
  private readonly lastUp = new Map<string, boolean>();

  // Ingest
  readonly uploads = this.counter('loupe_ingest_uploads_total', 'Uploads answered by POST /v1/contents, by content kind and result (accepted, refused)', ['kind', 'result']);
  readonly uploadsRefused = this.counter('loupe_ingest_refused_total', 'Uploads refused, by error code', ['code']);
  readonly decisions = this.counter(
    'loupe_content_decisions_total',
    "Items' first decisions after upload, by kind, outcome (removed, in_review, allowed, failed) and source (hash, model, failure)",
    ['kind', 'outcome', 'source'],
  );
  readonly timeToDecision = this.histogram('loupe_time_to_decision_seconds', 'From upload to the first decision (removed, in review, allowed or failed)', ['kind', 'source'], DECISION_BUCKETS);

  // Jobs
  readonly jobWait = this.histogram('loupe_job_wait_seconds', 'From a job being added (or its scheduled time) to its first attempt starting', ['job'], JOB_WAIT_BUCKETS);
  readonly jobDuration = this.histogram('loupe_job_duration_seconds', 'Time one attempt of a job ran, by result (completed, failed)', ['job', 'result'], JOB_RUN_BUCKETS);
  readonly jobFailures = this.counter('loupe_job_failures_total', 'Failed job attempts; final="true" when the job failed for good (bad input or retries spent)', ['job', 'final']);
  readonly jobs = this.gauge('loupe_job_queue_jobs', 'Jobs per queue and state (waiting, delayed, active, failed), read from the queue at scrape', ['queue', 'state']);

  // Review
  readonly reviewTasks = this.gauge('loupe_review_tasks', 'Unfinished review tasks per queue: open (claimable, or lease expired) and leased', ['queue', 'state']);
  readonly reviewOldestTask = this.gauge('loupe_review_oldest_task_age_seconds', 'Age of the oldest unfinished review task per queue; 0 when the queue is empty', ['queue']);
  readonly reviewOverdue = this.gauge('loupe_review_overdue_cases', 'Undecided review cases past their SLA deadline, per queue', ['queue']);
  readonly reviewBreaches = this.gauge('loupe_review_sla_breaches_24h', 'Review cases that breached their SLA in the last 24 hours, per queue', ['queue']);

  // Compute, index, models
  readonly computeTask = this.histogram(
    'loupe_compute_task_duration_seconds',
    'Compute-thread tasks from submission to result, waiting for a free thread included: pdq (hashing), classify, classifyNsfw, scoreHeads (inference), describeHeads',
    ['task', 'result'],
    COMPUTE_BUCKETS,
  );
  readonly scoresAhead = this.counter(
    'loupe_video_scores_ahead_total',
    "Videos whose frames were scored while their media job decoded them (VIDEO_SCORE_AHEAD): used by the classify job, scored_again (the heads changed or a frame failed), or dropped (the classify job ran in another worker, so this work was for nothing)",
    ['outcome'],
  );
  readonly indexLookup = this.histogram('loupe_match_index_lookup_seconds', 'One search of the in-memory match index (all its query hashes)', [], LOOKUP_BUCKETS);
  readonly indexHashes = this.gauge('loupe_match_index_hashes', 'Hashes in this process\'s replica of the match index', []);
  readonly indexMemory = this.gauge('loupe_match_index_memory_bytes', 'Bytes of index data in this process\'s match index threads', []);
  readonly modelServing = this.gauge(
    'loupe_model_serving',
    'Registry model versions this process serves, per policy and role (champion, canary, shadow); the value is the share of items each scores',
    ['model', 'version', 'policy', 'role'],
  );
  readonly backboneFallback = this.gauge('loupe_backbone_fallback', '1 when the backbone runs on another runtime than BACKBONE_RUNTIME asks for (its ONNX graph is missing or unusable)', []);
  readonly backboneRuntime = this.gauge('loupe_backbone_runtime_info', 'The backbone runtime in use (1) and the one asked for', ['runtime', 'requested']);

  // The process and the scrape
  readonly processInfo = this.gauge('loupe_process_info', 'This process: its mode (all, api, worker) and stores', ['mode', 'database', 'queue']);
  readonly collectorUp = this.gauge('loupe_metrics_collector_up', 'Whether a scrape-time collector answered at the last scrape (0: its gauges are absent)', ['collector']);

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Adds a scrape-time collector. When it fails or does not answer in time,
   * the gauges it owns are cleared rather than left at stale values, and
   * `loupe_metrics_collector_up{collector}` says 0.
   */
  addCollector(name: string, collect: MetricsCollector, owns: Gauge[]): void {
    this.collectors.set(name, { collect, owns });
  }

  /** Runs the collectors, then the text exposition of every metric. */
  async render(): Promise<string> {
    await Promise.all([...this.collectors].map(([name, collector]) => this.runCollector(name, collector)));
    return this.registry.metrics();
  }

  private async runCollector(name: string, { collect, owns }: { collect: MetricsCollector; owns: Gauge[] }): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    });
    let up = true;
    try {
      await Promise.race([collect(), deadline]);
    } catch (error) {
      up = false;
      for (const gauge of owns) gauge.reset();
      // Once per change, as /health does: a store that is down fails every scrape.
      if (this.lastUp.get(name) !== false) this.logger.warn(`Metrics: the ${name} collector failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    this.lastUp.set(name, up);
    this.collectorUp.set({ collector: name }, up ? 1 : 0);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, help: string, labelNames: L[], buckets: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}

/** Seconds since `startedNs` (process.hrtime.bigint()). */
export function secondsSince(startedNs: bigint): number {
  return Number(process.hrtime.bigint() - startedNs) / 1e9;
}
