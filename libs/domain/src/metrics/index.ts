export * from './metrics.module';
// What the transports serve: the api's protected route reads the same registry as the METRICS_PORT listener.
export { LoupeMetrics, MetricsHttpServer } from '@loupe/metrics';
