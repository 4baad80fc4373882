import { Injectable, OnModuleInit } from '@nestjs/common';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { ReviewMetricsRepository } from '@loupe/database';
import { LoupeMetrics } from '@loupe/metrics';
import { JobQueue } from '@loupe/queue';
import { MatchIndexService } from '../matching/match-index.service';
import { ServingStateService } from '../learning/serving/serving-state.service';
import { servingSeries } from './serving-series';

/**
 * The gauges of shared state, read at each scrape: job queues (Redis, or the
 * in-process queue), the review backlog (one cheap query), this process's
 * match index, and, where jobs run, what this process serves and on which
 * backbone runtime. Each is a collector of its own, so a store that is down
 * costs its own gauges, not the scrape.
 */
@Injectable()
export class OperationsMetricsService implements OnModuleInit {
  constructor(
    private readonly metrics: LoupeMetrics,
    private readonly config: LoupeConfig,
    private readonly jobs: JobQueue,
    private readonly review: ReviewMetricsRepository,
    private readonly matchIndex: MatchIndexService,
    private readonly serving: ServingStateService,
    private readonly compute: ComputePool,
  ) {}

  onModuleInit(): void {
    const m = this.metrics;
    m.processInfo.set({ mode: this.config.process.mode, database: this.config.database.kind, queue: this.config.queue.kind }, 1);
    m.addCollector('job_queue', () => this.collectJobs(), [m.jobs]);
    m.addCollector('review', () => this.collectReview(), [m.reviewTasks, m.reviewOldestTask, m.reviewOverdue, m.reviewBreaches]);
    m.addCollector('match_index', () => this.collectIndex(), [m.indexHashes, m.indexMemory]);
    // An api-only process classifies nothing: it would report a serving state it never polls and a backbone it never loads.
    if (this.config.runsJobs) {
      m.addCollector('serving', () => this.collectServing(), [m.modelServing]);
      m.addCollector('backbone', async () => this.collectBackbone(), [m.backboneFallback, m.backboneRuntime]);
    }
  }

  private async collectJobs(): Promise<void> {
    const counts = await this.jobs.jobCounts();
    const gauge = this.metrics.jobs;
    // Read first, then reset and set without awaiting: a concurrent scrape never sees half a set.
    gauge.reset();
    for (const { queue, ...states } of counts) {
      for (const [state, value] of Object.entries(states)) gauge.set({ queue, state }, value);
    }
  }

  private async collectReview(): Promise<void> {
    const rows = await this.review.gauges();
    const m = this.metrics;
    for (const gauge of [m.reviewTasks, m.reviewOldestTask, m.reviewOverdue, m.reviewBreaches]) gauge.reset();
    for (const row of rows) {
      m.reviewTasks.set({ queue: row.queue, state: 'open' }, row.open);
      m.reviewTasks.set({ queue: row.queue, state: 'leased' }, row.leased);
      m.reviewOldestTask.set({ queue: row.queue }, row.oldestTaskAgeSeconds);
      m.reviewOverdue.set({ queue: row.queue }, row.overdueCases);
      m.reviewBreaches.set({ queue: row.queue }, row.slaBreaches24h);
    }
  }

  private async collectIndex(): Promise<void> {
    const stats = await this.matchIndex.stats();
    // Null until the first load has started: absent rather than a misleading 0.
    if (!stats) throw new Error('the match index is not loaded yet');
    this.metrics.indexHashes.set(stats.size);
    this.metrics.indexMemory.set(stats.memoryBytes);
  }

  private async collectServing(): Promise<void> {
    const series = servingSeries(await this.serving.current());
    this.metrics.modelServing.reset();
    for (const { labels, share } of series) this.metrics.modelServing.set(labels, share);
  }

  private collectBackbone(): void {
    const status = this.compute.backboneStatus();
    this.metrics.backboneRuntime.reset();
    this.metrics.backboneRuntime.set({ runtime: status.runtime, requested: status.requested }, 1);
    this.metrics.backboneFallback.set(status.runtime !== status.requested ? 1 : 0);
  }
}
