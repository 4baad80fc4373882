import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LoupeMetrics } from '@loupe/domain/metrics';
import { Roles } from '../http/access.decorators';

/**
 * Prometheus's scrape, behind an API key like the rest of the API. The roles
 * that read operations without changing them may scrape; a scraper that
 * cannot send a header uses the METRICS_PORT listener instead.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LoupeMetrics) {}

  @Get()
  @Roles('admin', 'analyst', 'ml_engineer')
  @ApiOperation({
    summary: "This process's metrics in Prometheus's text format",
    description:
      'Ingest (uploads, first decisions, time to decision), jobs (queue depth per state, waits, run times, failures per job), review (tasks per queue, oldest task age, overdue cases, SLA breaches in 24 hours), compute-thread latency (pdq hashing, inference), the match index (size, lookup latency), the model versions serving and the backbone runtime, and Node.js process metrics. See docs/operations.md.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.metrics.render();
    void reply.header('content-type', this.metrics.contentType);
    return text;
  }
}
