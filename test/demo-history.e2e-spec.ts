import { ApiClient, contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';
import type { Command } from 'commander';
import { demoCommand } from '../apps/cli/src/commands/demo.command';
import { reportCommand } from '../apps/cli/src/commands/report.command';
import { trendsCommand } from '../apps/cli/src/commands/trends.command';

jest.setTimeout(600_000);

const CAUSES = ['near_threshold', 'blind_spot', 'no_model', 'hash_variant', 'human_error'];

/**
 * `loupe demo history` against a running server, in this process (as the
 * trend test runs `loupe trends`), then read back as the README's analyst
 * walk-through reads it. The command moves its trend stream back in time in
 * the database, so it runs on PostgreSQL only: the 'real' stores.
 */
describe('loupe demo history', () => {
  let loupe: TestApp;
  let analyst: ApiClient;
  let printed = '';
  const quarter = () => {
    const now = new Date();
    return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  };

  /** Runs the command with this environment; returns what it printed, or throws what it threw. */
  async function demo(env: Record<string, string>): Promise<string> {
    const saved = { ...process.env };
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      process.env = { ...saved, LOG_LEVEL: 'error', DATA_DIR: loupe.dataDir, ...env };
      if (!env.DATABASE_URL) delete process.env.DATABASE_URL;
      await demoCommand().parseAsync(['history'], { from: 'user' });
      return lines.join('\n');
    } finally {
      process.env = saved;
      log.mockRestore();
    }
  }

  beforeAll(async () => {
    loupe = await startTestApp('real');
    const { database } = loupe.config;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const started = Date.now();
    printed = await demo({ DATABASE_URL: database.url, LOUPE_URL: loupe.baseUrl, LOUPE_ADMIN_KEY: loupe.admin.key! });
    // Shown in the test's output: how long the sample takes on this machine.
    process.stderr.write(`loupe demo history: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    const key = /The analyst key \(shown once\): (\S+)/.exec(printed)?.[1];
    if (!key) throw new Error(`no analyst key in:\n${printed}`);
    analyst = new ApiClient(loupe.baseUrl, key);
  });
  afterAll(() => loupe?.close());

  it('prints the figures, the analyst key and what to try next', () => {
    expect(printed).toMatch(/^Sample history loaded into http:\/\/127\.0\.0\.1:\d+\./);
    expect(printed).toMatch(/Trend alert: #miraclecure burst at .*, 8 items, .*; #dailyvlog steady, not flagged/);
    expect(printed).toMatch(/Training pack for demo-cleo, the weakest on adult nudity/);
    expect(printed).toContain(`npx loupe report transparency --period ${quarter()}`);
    expect(printed).toContain('/dashboard');
  });

  it('has a missed violation of every cause in the quarter', async () => {
    const misses = await analyst.get(`/v1/analysis/misses?period=${quarter()}`);
    expect(misses.status).toBe(200);
    for (const cause of CAUSES) expect(misses.body.causes[cause]).toBeGreaterThanOrEqual(1);
    expect(misses.body.totals.caught).toBeGreaterThanOrEqual(1);
    const near = misses.body.items.find((m: any) => m.cause === 'near_threshold');
    expect(near).toMatchObject({ reviewThreshold: 0.85, confirmedBy: 'report' });
    expect(near.viewsBeforeRemoval).toBe(250);
    // Uploaded a day and a half ago (moved back), reported and removed now.
    expect(near.secondsToRemoval).toBeGreaterThan(30 * 3600);
  });

  it('alerts on the bursting hashtag at its hour, and never on the steady one', async () => {
    const alerts = (await analyst.get('/v1/analysis/trends?kind=term_burst&limit=1000')).body as any[];
    const burst = alerts.filter((a) => a.subject === '#miraclecure');
    expect(burst).toHaveLength(1);
    const hour = 3_600_000;
    // 26 hours of stream ending on the current hour; the burst at its hour 20 (the clock may have passed an hour since).
    const expected = [0, 1].map((late) => new Date(Math.floor((Date.now() - late * hour) / hour) * hour - 6 * hour).toISOString());
    expect(expected).toContain(burst[0].firstSeenAt);
    expect(burst[0]).toMatchObject({ count: 8, policyId: 'adult_nudity', status: 'open' });
    expect(burst[0].lift).toBeGreaterThan(3);
    expect(alerts.filter((a) => a.subject === '#dailyvlog')).toEqual([]);

    // As the README goes on: its items into a queue of their own, and a watch that holds the next upload carrying the tag.
    const queue = await analyst.post(`/v1/analysis/trends/${burst[0].id}/work`, { json: { kind: 'review_queue' } });
    expect(queue.status).toBe(201);
    const watch = await analyst.post(`/v1/analysis/trends/${burst[0].id}/work`, { json: { kind: 'watch', hours: 72 } });
    expect(watch.body.work).toMatchObject({ kind: 'watch', queueId: queue.body.work.queueId, items: 0 });
    const service = await loupe.client('service');
    const upload = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 7701 }), { hashtags: 'miraclecure,health' }) });
    const held = await waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'the held upload');
    expect(held.decision).toMatchObject({ outcome: 'in_review', source: 'rule' });
  });

  it("has the weakest moderator's training pack", async () => {
    const moderators = (await loupe.admin.get('/v1/moderators')).body as { id: string; name: string }[];
    const cleo = moderators.find((m) => m.name === 'demo-cleo')!;
    const packs = (await analyst.get(`/v1/analysis/training-packs?moderatorId=${cleo.id}`)).body as any[];
    expect(packs).toHaveLength(1);
    const pack = (await analyst.get(`/v1/analysis/training-packs/${packs[0].id}`)).body;
    expect(pack).toMatchObject({ moderatorId: cleo.id, policyId: 'adult_nudity' });
    expect(pack.items.length).toBeGreaterThanOrEqual(3);
    expect(pack.items.every((i: any) => i.given === false && i.correct === true && i.reason)).toBe(true);
    // As the README reads it: the first pack of the list, and its items as CSV.
    const all = (await analyst.get('/v1/analysis/training-packs')).body as any[];
    expect(all.map((p) => [p.id, p.moderatorId, p.policyId, p.itemCount])).toEqual([[pack.id, cleo.id, 'adult_nudity', pack.items.length]]);
    const csv = await analyst.get(`/v1/analysis/training-packs/${pack.id}?format=csv`);
    expect(csv.text.trim().split('\n')).toHaveLength(pack.items.length + 1);
  });

  it("has the quarter's transparency figures: removals, proactive ones, an appeal that reinstated", async () => {
    const report = await analyst.get(`/v1/analysis/transparency?period=${quarter()}`);
    expect(report.status).toBe(200);
    expect(report.body.rows.length).toBeGreaterThan(1);
    const total = report.body.rows[0];
    expect(total).toMatchObject({ policyId: '*', country: '*', appeals: 1, reinstatements: 1 });
    expect(total.removed).toBeGreaterThanOrEqual(15);
    expect(total.proactive).toBeGreaterThanOrEqual(9);
  });

  it("prints the README's analyst commands from the command line: misses, trends, accuracy, transparency", async () => {
    const { database } = loupe.config;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const run = async (command: () => Command, args: string[]) => {
      const saved = { ...process.env };
      const lines: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
      const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        process.env = { ...saved, DATA_DIR: loupe.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'error' };
        await command().parseAsync(args, { from: 'user' });
        return lines.join('\n');
      } finally {
        process.env = saved;
        log.mockRestore();
        error.mockRestore();
      }
    };
    const misses = await run(reportCommand, ['misses', '--period', quarter()]);
    for (const cause of CAUSES) expect(misses).toMatch(new RegExp(`causes: .*${cause} [1-9]`));
    expect(await run(trendsCommand, [])).toMatch(/term_burst\s+#miraclecure\s+adult_nudity\s+open/);
    expect(await run(reportCommand, ['accuracy', '--policy', 'adult_nudity'])).toMatch(/demo-cleo\s+night\s+adult_nudity/);
    expect(await run(reportCommand, ['transparency', '--period', quarter()])).toMatch(new RegExp(`Transparency, ${quarter()}[^\\n]*\\npolicy\\s+country\\s+removed[^\\n]*\\nall\\s+all\\s+\\d+`));
  });

  it('leaves the thresholds and routing as they were', async () => {
    const policies = (await analyst.get('/v1/policies')).body as any[];
    expect(policies.find((p) => p.id === 'adult_nudity').thresholds).toEqual({ review: 0.6, remove: 0.95 });
    const rules = (await loupe.admin.get('/v1/review/routing-rules')).body as any[];
    expect(rules.filter((r) => r.name.startsWith('Demo:')).every((r) => r.enabled === false)).toBe(true);
  });

  it('refuses a database that already holds the sample, and the embedded database', async () => {
    const { database } = loupe.config;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    await expect(demo({ DATABASE_URL: database.url, LOUPE_URL: loupe.baseUrl, LOUPE_ADMIN_KEY: loupe.admin.key! })).rejects.toThrow(/already holds the sample history/);
    await expect(demo({ LOUPE_URL: loupe.baseUrl, LOUPE_ADMIN_KEY: loupe.admin.key! })).rejects.toThrow(/one PostgreSQL database/);
  });
});
