/*
 * Driving the ingest bench: uploads through the real HTTP API, the
 * decisions the servers recorded, and the small helpers the bench's runs
 * share (bench/ingest.bench.ts).
 */
import { metric, scrape, Stack } from './ingest-costs';

export interface Upload {
  id: string;
  sentAt: number; // ms since the epoch
  latencyMs: number;
}

export async function upload(url: string, key: string, file: Buffer, name: string, type: string, seed: number): Promise<Upload> {
  const form = new FormData();
  form.set('creatorId', `creator-${seed % 50}`);
  form.set('region', 'US');
  form.set('language', 'en');
  form.set('file', new Blob([file], { type }), name);
  const sentAt = Date.now();
  const started = performance.now();
  const response = await fetch(`${url}/v1/contents`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
  const body = (await response.json()) as { id?: string };
  const latencyMs = performance.now() - started;
  if (response.status !== 202 || !body.id) throw new Error(`upload ${name}: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.id, sentAt, latencyMs };
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
