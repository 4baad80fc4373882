import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '@loupe/common';
import { LoupeMetrics } from './loupe-metrics';

/** The value of one series in the text format, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('LoupeMetrics', () => {
  it('keeps a registry per instance, so two applications in one process never share a count', async () => {
    const a = new LoupeMetrics();
    const b = new LoupeMetrics();
    a.uploads.inc({ kind: 'image', result: 'accepted' });
    a.uploads.inc({ kind: 'image', result: 'accepted' });
    expect(sample(await a.render(), 'loupe_ingest_uploads_total{kind="image",result="accepted"}')).toBe(2);
    expect(sample(await b.render(), 'loupe_ingest_uploads_total{kind="image",result="accepted"}')).toBeUndefined();
    // The process metrics come along in each.
    expect(sample(await b.render(), 'process_cpu_user_seconds_total')).toEqual(expect.any(Number));
  });

  it('runs the collectors at each scrape', async () => {
    const metrics = new LoupeMetrics();
    let depth = 3;
    metrics.addCollector('job_queue', async () => metrics.jobs.set({ queue: 'media', state: 'waiting' }, depth), [metrics.jobs]);
    expect(sample(await metrics.render(), 'loupe_job_queue_jobs{queue="media",state="waiting"}')).toBe(3);
    depth = 5;
    const text = await metrics.render();
    expect(sample(text, 'loupe_job_queue_jobs{queue="media",state="waiting"}')).toBe(5);
    expect(sample(text, 'loupe_metrics_collector_up{collector="job_queue"}')).toBe(1);
  });

  it('clears the gauges of a collector that fails, says so, and still answers the scrape', async () => {
    const metrics = new LoupeMetrics();
    let down = false;
    metrics.addCollector(
      'review',
      async () => {
        if (down) throw new Error('database down');
        metrics.reviewTasks.set({ queue: 'default', state: 'open' }, 7);
      },
      [metrics.reviewTasks],
    );
    metrics.addCollector('match_index', async () => metrics.indexHashes.set(42), [metrics.indexHashes]);
    expect(sample(await metrics.render(), 'loupe_review_tasks{queue="default",state="open"}')).toBe(7);
    down = true;
    const text = await metrics.render();
    expect(sample(text, 'loupe_review_tasks{queue="default",state="open"}')).toBeUndefined();
    expect(sample(text, 'loupe_metrics_collector_up{collector="review"}')).toBe(0);
    expect(sample(text, 'loupe_match_index_hashes')).toBe(42);
  });

  it('defines every Loupe metric that docs/operations.md and the Grafana dashboard name', async () => {
    const defined = new Set((await new LoupeMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    for (const file of ['docs/operations.md', 'docs/grafana/loupe-dashboard.json']) {
      const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      // A family in prose (`loupe_review_*`) is not a name.
      const named = new Set([...text.matchAll(/\bloupe_[a-z0-9_]+\b(?!\*)/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')));
      expect({ file, missing: [...named].filter((name) => !defined.has(name)) }).toEqual({ file, missing: [] });
    }
  });
});
