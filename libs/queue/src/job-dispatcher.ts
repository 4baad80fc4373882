import { Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { LoupeMetrics } from '@loupe/metrics';
import { JOB_NAMES, JobName, JobPayload } from './job-catalog';
import type { JobContext, JobHandler } from './job-handler';
import { JOB_HANDLER_METADATA } from './job-handler.decorator';
import { PermanentJobError } from './permanent-job.error';

export interface JobRun {
  jobId: string;
  attempt: number;
  maxAttempts: number;
  /** When the job first became due (added, or its schedule's time), in ms since the epoch. */
  readyAt?: number;
  progress(percent: number): Promise<void>;
}

/**
 * Finds the job handlers among the providers and runs them for every driver.
 * At start-up it checks that each job name in the catalog has exactly one
 * handler, so a missing or doubled handler fails the boot, not a job at 3 am.
 */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly logger = new Logger(JobDispatcher.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  onModuleInit(): void {
    const found = new Map<JobName, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const name = this.reflector.get<JobName | undefined>(JOB_HANDLER_METADATA, wrapper.metatype);
      if (!name) continue;
      found.set(name, [...(found.get(name) ?? []), wrapper.metatype.name]);
      this.handlers.set(name, wrapper.instance as JobHandler<JobName>);
    }
    const problems: string[] = [];
    for (const name of JOB_NAMES) {
      const owners = found.get(name) ?? [];
      if (owners.length === 0) problems.push(`job "${name}" has no handler`);
      if (owners.length > 1) problems.push(`job "${name}" has ${owners.length} handlers: ${owners.join(', ')}`);
    }
    for (const name of found.keys()) {
      if (!JOB_NAMES.includes(name)) problems.push(`handler for unknown job "${name}"`);
    }
    if (problems.length > 0) throw new Error(`Job catalog check failed: ${problems.join('; ')}`);
  }

  async run<N extends JobName>(name: N, payload: JobPayload<N>, run: JobRun): Promise<void> {
    const handler = this.handlers.get(name) as JobHandler<N> | undefined;
    if (!handler) throw new PermanentJobError('job.no_handler', `No handler for job "${name}"`);
    const { readyAt, ...context } = run;
    // Retries are left out: their wait is mostly the backoff, which says nothing about the queue.
    if (readyAt !== undefined && run.attempt === 1) this.metrics?.jobWait.observe({ job: name }, Math.max(0, Date.now() - readyAt) / 1000);
    const timed = this.metrics?.jobDuration.startTimer({ job: name });
    try {
      await handler.handle(payload, context satisfies JobContext);
      timed?.({ result: 'completed' });
    } catch (caught) {
      timed?.({ result: 'failed' });
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const final = error instanceof PermanentJobError || run.attempt >= run.maxAttempts;
      this.metrics?.jobFailures.inc({ job: name, final: String(final) });
      if (final) {
        this.logger.warn(`Job ${run.jobId} (${name}) failed for good: ${error.message}`);
        try {
          await handler.onFailed?.(payload, error);
        } catch (hookError) {
          this.logger.error(`onFailed of ${name} threw: ${(hookError as Error).message}`);
        }
      } else {
        this.logger.warn(`Job ${run.jobId} (${name}) attempt ${run.attempt}/${run.maxAttempts} failed: ${error.message}`);
      }
      throw error;
    }
  }
}
