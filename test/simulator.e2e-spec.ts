import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, TestApp } from '@loupe/testing';
import { DecisionFeed } from '../apps/simulator/src/driver/decision-feed';
import { renderItem, uploadAndSettle } from '../apps/simulator/src/driver/upload';
import { SIMULATION_SERVER_ENV } from '../apps/simulator/src/loupe/launch';
import { LoupeHttp } from '../apps/simulator/src/loupe/http';
import { percentile } from '../apps/simulator/src/report/figures';
import type { SimulationReport } from '../apps/simulator/src/report/report';
import { simulate } from '../apps/simulator/src/simulate';
import { generateWorld } from '../apps/simulator/src/world/world';

// A guard against a hang, not a time budget: beside other heavy work (a simulation, a loaded CI) the run took over 240 s.
jest.setTimeout(900_000);

/**
 * The simulator's small configuration, as CI runs it: a couple of simulated
 * hours and about a hundred uploads against an embedded Loupe, over HTTP.
 * The report's figures must agree with the ground truth they come from,
 * recomputed here from the world and from Loupe's own answers.
 */
describe('simulator (small configuration)', () => {
  const config = { seed: 7, hours: 2, uploads: 110, tickMinutes: 10, trendStartHour: 1, violationRate: 0.2, reuploadRate: 0.05, historyItems: 48, goldItems: 8, goldRate: 0.3 };
  let loupe: TestApp;
  let out: string;
  let report: SimulationReport;
  /** GET /v1/contents/:id sent so far. */
  const contentReads = () => LoupeHttp.requests.get('GET /v1/contents/:id') ?? 0;

  beforeAll(async () => {
    loupe = await startTestApp('embedded', SIMULATION_SERVER_ENV);
    out = await mkdtemp(path.join(tmpdir(), 'loupe-sim-report-'));
    ({ report } = await simulate({
      url: loupe.baseUrl,
      adminKey: loupe.admin.key!,
      out,
      seed: config.seed,
      hours: config.hours,
      uploads: config.uploads,
      tickMinutes: config.tickMinutes,
      trendStartHour: config.trendStartHour,
      world: { violationRate: config.violationRate, reuploadRate: config.reuploadRate, goldItems: config.goldItems, goldRate: config.goldRate },
      retrainEveryHours: 1,
      historyItems: config.historyItems,
      log: process.env.KEEP_SIM ? (line) => console.error(line) : () => undefined,
    }));
  });

  afterAll(async () => {
    await loupe?.close();
    // KEEP_SIM=1 keeps the report (its folder is printed) and shows the simulator's log, to look into a failure.
    if (out && !process.env.KEEP_SIM) await rm(out, { recursive: true, force: true });
    else if (out) console.log(`simulation report kept in ${out}`);
  });

  it('makes the same world from the same seed, and another from another seed', async () => {
    const a = generateWorld(config);
    const b = generateWorld(config);
    expect(b.digest).toBe(a.digest);
    expect(b.items).toEqual(a.items);
    expect(report.world.digest).toBe(a.digest);
    expect(b.history).toEqual(a.history);
    expect(generateWorld({ ...config, seed: config.seed + 1 }).digest).not.toBe(a.digest);
    // The same pixels too: an original, a re-upload and a clip render to the bytes the run uploaded.
    const reupload = a.items.find((item) => item.media.transform);
    const clip = a.items.find((item) => item.media.video);
    for (const item of [a.items[0], ...(reupload ? [reupload] : []), ...(clip ? [clip] : [])]) {
      const { file } = await renderItem(item);
      expect(createHash('sha256').update(file).digest('hex')).toBe(report.items[item.index].sha256);
    }
  });

  it('learns a decision by signed webhook, as a platform would: one read of the upload, no polling; a forged delivery is refused', async () => {
    const admin = new LoupeHttp(loupe.baseUrl, loupe.admin.key!);
    const feed = await DecisionFeed.open(admin, () => undefined);
    expect(feed).not.toBeNull();
    try {
      const service = new LoupeHttp(loupe.baseUrl, (await loupe.client('service')).key!);
      // An item no run uploaded: another seed's world.
      const item = generateWorld({ ...config, seed: config.seed + 100 }).items[0];
      const readsBefore = contentReads();
      const uploaded = await uploadAndSettle(service, item, new Date(), feed);
      expect(uploaded.settled).toBe(true);
      expect(contentReads() - readsBefore).toBe(1);
      const forged = await fetch(feed!.url, { method: 'POST', headers: { 'loupe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }, body: '{"type":"content.decided","data":{"contentId":"x"}}' });
      expect(forged.status).toBe(401);
      expect(feed!.rejected).toBe(1);
    } finally {
      await feed?.close(admin);
    }
    expect((await admin.get<unknown[]>('/v1/webhooks')).length).toBe(0);
  });

  it('has a violating mix, a trend, re-uploads and clips in the world', () => {
    const world = generateWorld({ ...config });
    expect(world.items.filter((i) => i.violates.length > 0).length).toBeGreaterThan(10);
    expect(world.items.some((i) => i.trend && i.uploadAt >= 3_600_000)).toBe(true);
    expect(world.items.some((i) => i.category === 'reupload')).toBe(true);
    // Clips go through Loupe's video pipeline (the upload test below checks their bytes too).
    expect(world.items.some((i) => i.media.video)).toBe(true);
    expect(world.items.every((i, k) => k === 0 || i.uploadAt >= world.items[k - 1].uploadAt)).toBe(true);
  });

  it('uploaded every item, and Loupe holds the bytes the world made', async () => {
    const service = new LoupeHttp(loupe.baseUrl, (await loupe.client('service')).key!);
    expect(report.figures.uploaded).toBe(config.uploads);
    expect(report.run.errors).toEqual([]);
    for (const item of report.items) {
      const content = await service.get(`/v1/contents/${item.contentId}`);
      expect(content.media.sha256).toBe(item.sha256);
      expect(content.status).toBe(item.status);
      // Removed at some point, by Loupe's own history, exactly when the ledger says it was removed.
      const everRemoved = [content.decision, ...(content.history ?? [])].some((d: { outcome: string } | null) => d?.outcome === 'removed');
      expect(item.removedAt !== null).toBe(everRemoved);
      // Removed at ingest (by a bank or the model) means removed before any view.
      if (item.ingestStatus === 'removed') {
        expect(item.removedAt).toBe(item.uploadedAt);
        expect(item.firstViewAt).toBeNull();
      }
    }
  });

  it("agrees with the views Loupe recorded", async () => {
    const service = new LoupeHttp(loupe.baseUrl, (await loupe.client('service')).key!);
    const viewed = report.items.filter((i) => i.views > 0).slice(0, 15);
    expect(viewed.length).toBeGreaterThan(0);
    for (const item of viewed) {
      const reach = await service.get<{ series: { views: number }[] }>(`/v1/contents/${item.contentId}/reach`);
      expect(Math.max(...reach.series.map((s) => s.views))).toBe(item.views);
    }
    // Uploads carry the simulated time they were posted, on the wall clock the run laid out.
    const sample = report.items.filter((i) => i.contentId !== null).slice(0, 5);
    for (const item of sample) {
      const content = await service.get<{ postedAt: string }>(`/v1/contents/${item.contentId}`);
      expect(Date.parse(content.postedAt)).toBe(Date.parse(report.run.epoch) + item.uploadedAt);
    }
  });

  it('scanned for trends as of every simulated hour, and reported what the scans found', () => {
    const alert = report.run.loupe.trendAlert!;
    expect(alert.scans).toBe(config.hours);
    expect(alert.flagged).toBe(alert.flaggedAtSimHour !== null);
    expect(report.targets[1].status).toBe(alert.flaggedAtSimHour !== null && alert.flaggedAtSimHour - config.trendStartHour <= 2 ? 'met' : 'not met');
  });

  it("computes the removal figures from the ground truth", () => {
    const world = generateWorld({ ...config });
    const violating = report.items.filter((i) => world.items[i.index].violates.length > 0);
    expect(report.figures.violating).toBe(violating.length);
    const beforeView = violating.filter((i) => i.removedAt !== null && (i.firstViewAt === null || i.removedAt <= i.firstViewAt)).length;
    const missed = violating.filter((i) => i.firstViewAt !== null && (i.removedAt === null || i.removedAt > i.firstViewAt)).length;
    const within24h = violating.filter((i) => i.removedAt !== null && i.removedAt - i.uploadedAt <= 24 * 3_600_000).length;
    const overall = report.figures.removal.overall;
    expect(overall.removedBeforeAnyView).toBe(beforeView);
    expect(overall.missed).toBe(missed);
    expect(overall.removedWithin24h).toBe(within24h);
    expect(overall.shareBeforeAnyView).toBeCloseTo(beforeView / violating.length, 10);
    expect(overall.removedBeforeAnyView + overall.missed + overall.pending).toBe(violating.length);
    // Per policy, the rows add up to the items of each policy in the truth.
    for (const [policyId, row] of Object.entries(report.figures.removal.byPolicy)) {
      expect(row.violating).toBe(world.items.filter((i) => i.violates.includes(policyId)).length);
    }
    // The miss rate per hour adds up to the misses.
    expect(report.figures.missRateByHour.reduce((sum, h) => sum + h.missed, 0)).toBe(missed);
    // Wrong removals: benign in truth, removed.
    expect(report.figures.wrongRemovals.benignRemoved).toBe(report.items.filter((i) => i.violates.length === 0 && i.removedAt !== null).length);
  });

  it('computes human cost and appeals from the reviews it made', () => {
    const { humanCost, appeals } = report.figures;
    expect(humanCost.reviewsPer1000Uploads).toBeCloseTo((humanCost.reviews * 1000) / config.uploads, 10);
    expect(Object.values(humanCost.bySource).reduce((a, b) => a + b, 0)).toBe(humanCost.reviews);
    if (humanCost.reviews > (humanCost.bySource.sample ?? 0)) {
      expect(humanCost.queueWaitMinutes.p50).not.toBeNull();
      expect(humanCost.queueWaitMinutes.p99!).toBeGreaterThanOrEqual(humanCost.queueWaitMinutes.p50!);
    }
    expect(appeals.overturned + appeals.upheld).toBe(appeals.decided);
    expect(appeals.wrongRemovalsCaught).toBe(report.items.filter((i) => i.appealOutcome === 'overturned' && i.violates.length === 0).length);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    // Each label a moderator gave counts once in the per-policy accuracy table.
    const labels = report.figures.moderatorPolicies.reduce((sum, c) => sum + c.labels, 0);
    expect(labels).toBeGreaterThanOrEqual(humanCost.reviews);
  });

  it('played the history before simulated 0: uploaded, reported, reviewed, trained on', () => {
    const history = report.figures.history!;
    const items = config.historyItems + config.goldItems;
    expect(history.items).toBe(items);
    expect(history.uploaded).toBe(items);
    expect(Object.values(history.ingest).reduce((a, b) => a + b, 0)).toBe(items);
    // Every task the history opened was decided: none left for the day's moderators.
    // At least one review for every item that went to review at ingest or was reported (all that Loupe allowed).
    expect(history.reviews).toBeGreaterThanOrEqual((history.ingest.allowed ?? 0) + (history.ingest.in_review ?? 0));
    expect(history.leftOpen).toBe(0);
    // History times lie before the day: negative simulated ms, and no history item shares a picture with the day.
    const world = generateWorld({ ...config });
    expect(world.history.every((item) => item.uploadAt < 0)).toBe(true);
    const seeds = new Set(world.items.map((item) => item.media.seed));
    expect(world.history.some((item) => seeds.has(item.media.seed))).toBe(false);
  });

  it('made gold items of the history and had the moderators decide the gold tasks Loupe handed out', async () => {
    const gold = report.figures.gold!;
    expect(gold.items).toBe(config.goldItems);
    expect(gold.rate).toBe(config.goldRate);
    const admin = new LoupeHttp(loupe.baseUrl, loupe.admin.key!);
    const queues = await admin.get<{ id: string; goldRate: number }[]>('/v1/review/queues');
    expect(queues.find((q) => q.id === 'default')?.goldRate).toBe(config.goldRate);
    // Loupe's own count of gold answers is the simulator's: gold items were made after the history, so every answer is a day's gold task.
    const items = await admin.get<{ answered: number }[]>('/v1/review/gold');
    expect(items).toHaveLength(config.goldItems);
    expect(items.reduce((sum, i) => sum + i.answered, 0)).toBe(gold.reviews);
    expect(report.figures.humanCost.bySource.gold ?? 0).toBe(gold.reviews);
    expect(gold.right).toBeLessThanOrEqual(gold.reviews);
  });

  it('retrained on schedule through the API, and said what came of it', () => {
    // On the history at simulated 0, then at simulated hour 1 (a small run has too few labels for a head: the run says so).
    expect(report.figures.learning.retrains.map((r) => r.at)).toEqual([0, 3_600_000]);
    for (const retrain of report.figures.learning.retrains) {
      expect(retrain.runId).not.toBeNull();
      expect(['succeeded', 'failed']).toContain(retrain.status);
    }
    if (!report.figures.learning.retrains.some((r) => r.promoted)) expect(report.figures.learning.recallBeforeAfter).toEqual([]);
  });

  it('writes the Markdown, the JSON and the plots, and states each target', async () => {
    const markdown = await readFile(path.join(out, 'report.md'), 'utf8');
    const json = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as SimulationReport;
    expect(json.world.digest).toBe(report.world.digest);
    expect(json.figures.removal.overall).toEqual(report.figures.removal.overall);
    for (const plot of ['miss-rate.svg', 'queue-depth.svg']) {
      const svg = await readFile(path.join(out, plot), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(markdown).toContain(`](${plot})`);
    }
    // Where the run's real time went: every step's phases, together no more than the run.
    const phases = report.run.phaseSeconds ?? {};
    expect(Object.keys(phases)).toEqual(expect.arrayContaining(['ingest', 'moderation', 'views and reports', 're-checks', 'queue depth']));
    expect(Object.values(phases).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(report.run.realSeconds);
    expect(markdown).toContain('Where the real time went: ');
    expect(report.targets).toHaveLength(4);
    for (const target of report.targets) {
      expect(['met', 'not met', 'not yet measured']).toContain(target.status);
      expect(markdown).toContain(target.target);
      expect(target.why.length).toBeGreaterThan(20);
    }
    const share = report.figures.removal.overall.shareBeforeAnyView;
    expect(report.targets[0].status).toBe(share !== null && share >= 0.95 ? 'met' : 'not met');
  });
});
