import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, LoupeHttp } from '../loupe/http';

/**
 * How the simulated platform learns Loupe's decisions: as a platform that
 * must act before anyone views an item would, by webhook (`content.decided`,
 * signed), not by polling GET /v1/contents/:id.
 *
 * Why: polling was the largest part of the embedded database's work. With 16
 * uploads in flight, each was polled about 5.5 times before it settled, and
 * each poll is six reads (the item, its decisions, scores, hashes, labels and
 * matches): 44% of the statement time pg_stat_statements measured over the
 * first 1,000 uploads of a short run. With the feed an upload costs one read,
 * once its decision has arrived.
 *
 * A Loupe that refuses a loopback target (a production deployment without
 * WEBHOOK_ALLOW_PRIVATE) answers 400 to the subscription: `open` then answers
 * null, and uploads poll as before.
 */
export class DecisionFeed {
  /** Items whose decision arrived before anyone waited for it (the event can beat the upload's 202). */
  private readonly arrived = new Set<string>();
  private readonly waiters = new Map<string, () => void>();
  private subscriptionId: string | null = null;
  /** Deliveries refused for a bad signature: none is expected; the report's errors would show a forger or a bug. */
  rejected = 0;

  private constructor(
    private readonly server: Server,
    private readonly secret: string,
    /** Where Loupe delivers. */
    readonly url: string,
  ) {
    server.on('request', (request, response) => void this.receive(request, response));
  }

  static async open(admin: LoupeHttp, log: (line: string) => void): Promise<DecisionFeed | null> {
    const secret = `whsec_sim_${randomBytes(24).toString('hex')}`;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/loupe-events`;
    const feed = new DecisionFeed(server, secret, url);
    try {
      const created = await admin.post<{ id: string }>('/v1/webhooks', { url, events: ['content.decided'], secret, description: 'simulator: the platform learns decisions' });
      feed.subscriptionId = created.id;
      return feed;
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (error instanceof HttpError && error.status === 400) {
        log(`Loupe refused a webhook to ${url} (${error.code}): uploads will poll for their decisions`);
        return null;
      }
      throw error;
    }
  }

  /** True once a decision on the item has arrived; false after `timeoutMs` without one. */
  wait(contentId: string, timeoutMs: number): Promise<boolean> {
    if (this.arrived.delete(contentId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(contentId);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(contentId, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Deletes the subscription (so a Loupe that runs on sends nothing to a closed port), then stops listening. */
  async close(admin: LoupeHttp): Promise<void> {
    if (this.subscriptionId) await admin.send('DELETE', `/v1/webhooks/${this.subscriptionId}`, undefined, [204, 404]).catch(() => undefined);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (!this.signed(body, request.headers['loupe-signature'])) {
      this.rejected++;
      response.writeHead(401).end();
      return;
    }
    const event = JSON.parse(body) as { type: string; data: { contentId?: string } };
    const contentId = event.data.contentId;
    if (event.type === 'content.decided' && contentId) {
      const waiter = this.waiters.get(contentId);
      if (waiter) {
        this.waiters.delete(contentId);
        waiter();
      } else {
        this.arrived.add(contentId);
      }
    }
    response.writeHead(200).end();
  }

  /** The receiver's check, as Loupe's README tells platforms: HMAC-SHA256 of "<t>.<body>" in `v1`. */
  private signed(body: string, header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
    if (!parts.t || !parts.v1) return false;
    const expected = createHmac('sha256', this.secret).update(`${parts.t}.${body}`, 'utf8').digest();
    const given = Buffer.from(parts.v1, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
