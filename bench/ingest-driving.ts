/*
 * Driving the ingest bench: uploads through the real HTTP API, the
 * decisions the servers recorded, and the small helpers the bench's runs
 * share (bench/ingest.bench.ts).
 */
import http from 'node:http';
import { metric, scrape, Stack } from './ingest-costs';

// Connections kept open between uploads, as fetch's were; as many as the paced mode has uploads in flight (64).
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Upload {
  id: string;
  sentAt: number; // ms since the epoch
  latencyMs: number;
}

/**
 * The multipart body of an upload, made in one piece before the clock starts,
 * as a platform's service would send a file it already holds. With fetch
 * and FormData a 49 MB video took about 0.9 s from the call to the server's
 * first byte of it, against 0.25 s for curl to send it whole; that time (and
 * the CPU it takes from the server on a 2-core machine) is the client's, not
 * the ingest's.
 */
function multipartBody(fields: Record<string, string>, file: Buffer, name: string, type: string): { body: Buffer; contentType: string } {
  const boundary = `loupe-bench-${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [field, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`));
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(url: string, key: string, file: Buffer, name: string, type: string, seed: number): Promise<Upload> {
  const { body, contentType } = multipartBody({ creatorId: `creator-${seed % 50}`, region: 'US', language: 'en' }, file, name, type);
  const sentAt = Date.now();
  const started = performance.now();
  const { status, text } = await post(`${url}/v1/contents`, { 'x-api-key': key, 'content-type': contentType }, body);
  const latencyMs = performance.now() - started;
  if (status !== 202) throw new Error(`upload ${name}: ${status} ${text}`);
  const result = JSON.parse(text) as { id?: string };
  if (!result.id) throw new Error(`upload ${name}: no id in ${text}`);
  return { id: result.id, sentAt, latencyMs };
}

/** A POST with node:http, the body written in one piece: undici's fetch took about 0.5 s to start sending a 49 MB Buffer. */
function post(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export interface Decided {
  status: string;
  decidedAt: number;
}

export async function decisionOf(url: string, key: string, id: string): Promise<Decided> {
  const response = await fetch(`${url}/v1/contents/${id}`, { headers: { 'x-api-key': key } });
  const body = (await response.json()) as { status: string; decision: { decidedAt: string } | null; updatedAt: string };
  return { status: body.status, decidedAt: Date.parse(body.decision?.decidedAt ?? body.updatedAt) };
}

export const jobServers = (stack: Stack) => stack.servers.filter((s) => s.role !== 'api');

/** First decisions recorded so far by the processes that run jobs (their loupe_content_decisions_total). */
export async function decisionsSoFar(stack: Stack): Promise<number> {
  const all = await Promise.all(jobServers(stack).map(scrape));
  return all.reduce((sum, samples) => sum + metric(samples, 'loupe_content_decisions_total'), 0);
}

export async function waitForDecisions(stack: Stack, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await decisionsSoFar(stack)) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} decisions after ${timeoutMs} ms`);
    // A scrape costs the server a few queries: once a second keeps the bench's own share small.
    // Throughput does not depend on it (it is timed by the decisions' own times).
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * Open-loop arrivals: item i starts at i / rate seconds from now, whether or
 * not earlier ones have finished, as a platform's uploads arrive. At most
 * `maxInFlight` at once, so an overloaded server cannot take the client down
 * with it; a start held back by that cap shows as late (returned).
 */
export async function paced<T, R>(items: T[], perSecond: number, maxInFlight: number, work: (item: T, index: number) => Promise<R>): Promise<{ results: R[]; lateStarts: number }> {
  const results: R[] = new Array(items.length);
  const started = performance.now();
  let inFlight = 0;
  let lateStarts = 0;
  const freed: (() => void)[] = [];
  const running: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => freed.push(resolve));
    // A start more than 10 ms behind its schedule: the client or the cap held it, not the rate.
    if (performance.now() - due > 10) lateStarts++;
    inFlight++;
    running.push(
      work(items[i], i).then((result) => {
        results[i] = result;
        inFlight--;
        freed.shift()?.();
      }),
    );
  }
  await Promise.all(running);
  return { results, lateStarts };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
