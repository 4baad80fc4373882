import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  /** The `loupe-event-id` header. */
  eventId: string;
  body: string;
  event: { id: string; type: string; createdAt: string; data: Record<string, any> };
  signatureValid: boolean;
  /** What the receiver answered. */
  answer: Answer;
}

/**
 * ok: 200 at once; a number: that status; slow: 200 after `slowMs` (within the
 * sender's timeout); late: 200 after `lateMs` (past it: the receiver has the
 * event, the sender sees a failure and sends it again).
 */
export type Answer = 'ok' | 'slow' | 'late' | number;

/**
 * A platform's webhook endpoint on 127.0.0.1: it verifies signatures as the
 * README tells receivers to (node:crypto only, not Loupe's code), records
 * every request, and answers as the test tells it to, per path.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly behaviour = new Map<string, (event: { id: string }, sightings: number) => Answer>();
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  port = 0;

  constructor(private readonly timing: { slowMs: number; lateMs: number } = { slowMs: 500, lateMs: 1500 }) {}

  async start(port = 0): Promise<string> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Down: the port refuses connections until `start(this.port)` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  on(path: string, secret: string, answer: (event: { id: string }, sightings: number) => Answer): void {
    this.secrets.set(path, secret);
    this.behaviour.set(path, answer);
  }

  /** The deliveries to `path`, one per event id: what a receiver that de-duplicates keeps. */
  unique(path: string): ReceivedDelivery[] {
    const seen = new Map<string, ReceivedDelivery>();
    for (const delivery of this.received) if (delivery.path === path && !seen.has(delivery.eventId)) seen.set(delivery.eventId, delivery);
    return [...seen.values()];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '/';
    const event = JSON.parse(body) as ReceivedDelivery['event'];
    const eventId = String(request.headers['loupe-event-id']);
    const sightings = this.received.filter((d) => d.path === path && d.eventId === eventId).length;
    const answer = this.behaviour.get(path)?.(event, sightings) ?? 404;
    this.received.push({ path, eventId, body, event, signatureValid: this.verify(path, body, request.headers['loupe-signature']), answer });
    if (answer === 'ok') return void response.writeHead(200).end('ok');
    if (answer === 'slow' || answer === 'late') {
      return void setTimeout(() => response.writeHead(200).end('ok'), answer === 'slow' ? this.timing.slowMs : this.timing.lateMs);
    }
    response.writeHead(answer).end();
  }

  private verify(path: string, body: string, header: string | string[] | undefined): boolean {
    const secret = this.secrets.get(path);
    if (!secret || typeof header !== 'string') return false;
    const fields = Object.fromEntries(header.split(',').map((part) => part.split('=')));
    const timestamp = Number(fields.t);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
    const expected = createHmac('sha256', secret).update(`${fields.t}.${body}`).digest();
    const given = Buffer.from(String(fields.v1), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
