export * from './loupe-metrics';
export * from './metrics-http.server';
export * from './metrics.module';
