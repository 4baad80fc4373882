import { Global, Module } from '@nestjs/common';
import { LoupeMetrics } from './loupe-metrics';
import { MetricsHttpServer } from './metrics-http.server';

/** One LoupeMetrics per application, for every layer that records (queue, compute, domain) and the transports that serve it. */
@Global()
@Module({ providers: [LoupeMetrics, MetricsHttpServer], exports: [LoupeMetrics, MetricsHttpServer] })
export class MetricsModule {}
