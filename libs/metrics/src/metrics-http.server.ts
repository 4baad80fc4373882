import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { LoupeMetrics } from './loupe-metrics';

/**
 * The METRICS_PORT listener: GET /metrics and nothing else, without an API
 * key. It exists for a scraper on a private network, and for the worker,
 * which has no HTTP server of its own. Bind it where only the scraper reaches
 * (METRICS_HOST); the metrics hold counts and timings, never content or keys.
 */
@Injectable()
export class MetricsHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsHttpServer.name);
  private server: Server | null = null;

  constructor(
    private readonly metrics: LoupeMetrics,
    private readonly config: LoupeConfig,
  ) {}

  /** The port it listens on (METRICS_PORT=0 picks a free one); null when there is no listener. */
  get port(): number | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? address.port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === null || this.config.process.mode === 'cli') return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      this.metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
        (error: unknown) => {
          this.logger.error(`Metrics: the scrape failed: ${(error as Error).message}`);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('The scrape failed; see the log\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics on http://${host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
