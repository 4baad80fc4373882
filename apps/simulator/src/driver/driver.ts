/**
 * Drives a running Loupe through its public HTTP API with the world: the
 * platform's uploads, views and user reports (a service key), the creators'
 * appeals, and the moderators claiming and deciding review tasks (a key
 * each). Step by step in simulated time (see clock.ts for how the clock
 * works); everything it sees and does goes into the ledger.
 */
import { LoupeHttp } from '../loupe/http';
import { HOUR, MINUTE, streamFor, streamForKey, World, WorldItem } from '../world/world';
import { firstViewExposure, reportedPolicy, viewsAfter } from './audience';
import { epochFor, SimClock } from './clock';
import { alertToWatch, scanTrends } from './trend-scans';
import { pool } from './concurrency';
import { emptyLedger, ItemRecord, Ledger, newItemRecord, TrendScanRecord, WatchRecord } from './ledger';
import { Appeals } from './appeals';
import { ModeratorDesk } from './moderators';
import { playHistory } from './history';
import { registerGold } from './gold';
import { retrainOnce } from './retrain';
import { Uploaded, uploadAndSettle } from './upload';
import { DecisionFeed } from './decision-feed';

/** Random streams of the world, by purpose (streamFor). */
const STREAM = { reports: 1, moderator: 2 } as const;

export interface DriverOptions {
  url: string;
  adminKey: string;
  /** Uploads in flight at once. */
  concurrency: number;
  /** Simulated hours between scheduled retrainings (0: none). */
  retrainEveryHours: number;
  /** Labels of each class a policy needs for a head in those runs (the run's minLabelsPerClass). */
  minLabelsPerClass: number;
  /** The analyst watches the sharpest hashtag a scan flags (trend work of kind watch). */
  watchTrends: boolean;
  log(line: string): void;
}

export interface DriverResult {
  ledger: Ledger;
  clock: SimClock;
  /** The moderators' ids in Loupe, by simulated name. */
  moderatorIds: Record<string, string>;
  keys: { service: string; analyst: string; mlEngineer: string };
  startedAt: Date;
  realMs: number;
}

export class SimulationDriver {
  private readonly admin: LoupeHttp;
  private service!: LoupeHttp;
  private feed: DecisionFeed | null = null;
  private analyst!: LoupeHttp;
  private readonly desk: ModeratorDesk;
  private readonly ledger: Ledger;
  private readonly byContent = new Map<string, ItemRecord>();
  /** The gold items, by content id: history items a gold task shows again. */
  private readonly goldContents = new Map<string, WorldItem>();
  private readonly reportRandom = new Map<number, () => number>();
  /** View counts to send at the step's end: [contentId, views, observedAt]. */
  private pendingViews: { contentId: string; views: number; observedAt: string }[] = [];
  private readonly appeals: Appeals;
  /** User reports sent and not yet answered; awaited at the step's end. */
  private inFlight: Promise<void>[] = [];
  /** Items to look at again at the step's end (a virality tier crossed: Loupe re-checks them). */
  private watch = new Set<string>();
  private sweepAt = 0;
  private clock!: SimClock;
  private step = { uploads: 0, reviews: 0, viewsSent: 0, reportsSent: 0, appealsSent: 0 };

  constructor(
    private readonly world: World,
    private readonly options: DriverOptions,
  ) {
    this.admin = new LoupeHttp(options.url.replace(/\/+$/, ''), options.adminKey);
    this.ledger = emptyLedger(world.items.length);
    this.appeals = new Appeals(this.ledger, () => this.service);
    this.desk = new ModeratorDesk({
      world,
      ledger: this.ledger,
      byContent: this.byContent,
      goldContents: this.goldContents,
      service: () => this.service,
      applyStatus: (record, status, at, removedBy) => this.applyStatus(record, status, at, removedBy),
      reviewed: () => void this.step.reviews++,
    });
  }

  async run(): Promise<DriverResult> {
    const startedAt = new Date();
    const keys = await this.setUp();
    try {
      return await this.play(startedAt, keys);
    } finally {
      if (this.feed?.rejected) this.ledger.errors.push(`${this.feed.rejected} webhook deliveries with a bad signature`);
      await this.feed?.close(this.admin);
    }
  }

  private async play(startedAt: Date, keys: DriverResult['keys']): Promise<DriverResult> {
    const { log } = this.options;
    const epoch = epochFor(this.world.config.hours, startedAt.getTime());
    if (this.world.history.length > 0) {
      const ml = this.admin.as(keys.mlEngineer);
      const wall = (sim: number) => new Date(epoch + sim);
      const contents = new Map<string, WorldItem>();
      this.ledger.history = await playHistory({ items: this.world.history, service: this.service, feed: this.feed, moderators: this.desk.moderators, wall, concurrency: this.options.concurrency, log, errors: this.ledger.errors, contents });
      this.ledger.history.leftOpen = Math.max(0, await this.queueDepth());
      // Gold before the first training: its split is part of what the gates judge.
      if (this.world.config.goldItems > 0) {
        for (const [contentId, item] of contents) if (item.gold) this.goldContents.set(contentId, item);
        this.ledger.gold = await registerGold(this.admin, this.goldContents, this.world.config.goldRate, this.ledger.errors);
        log(`gold: ${this.ledger.gold.items} items, gold rate ${this.ledger.gold.rate ?? 'not set'}`);
      }
      // The model the platform starts the day with: trained on its history, promoted when it beats the baseline.
      if (this.options.retrainEveryHours > 0) this.ledger.retrains.push(await retrainOnce(ml, 0, this.options.minLabelsPerClass, log));
    }
    // Simulated 0 starts now: the history took real time outside the simulated day.
    this.clock = new SimClock(epoch);
    const { hours, tickMinutes } = this.world.config;
    const stepMs = tickMinutes * MINUTE;
    const end = hours * HOUR;
    let next = 0;
    let lastLog = Date.now();
    for (let from = 0; from < end; from += stepMs) {
      const to = Math.min(end, from + stepMs);
      this.step = { uploads: 0, reviews: 0, viewsSent: 0, reportsSent: 0, appealsSent: 0 };
      await this.timed('appeals', async () => {
        const sent = await this.appeals.send(to);
        this.step.appealsSent += sent;
      });
      const due: WorldItem[] = [];
      while (next < this.world.items.length && this.world.items[next].uploadAt < to) due.push(this.world.items[next++]);
      await this.timed('ingest', () => this.ingest(due));
      await this.timed('moderation', () => this.desk.moderate(from, to));
      await this.timed('views and reports', async () => {
        for (const record of this.inWorldOrder()) if (this.visible(record)) this.accrue(record, to);
        await this.flushViews();
      });
      await this.timed('re-checks', () => this.recheck(to));
      if (Math.floor(to / HOUR) > Math.floor(from / HOUR)) {
        await this.timed('trend scans', async () => {
          const scan = await scanTrends(this.analyst, this.clock, Math.floor(to / HOUR) * HOUR);
          this.ledger.trendScans.push(scan);
          if (this.options.watchTrends) await this.watchSharpest(scan);
        });
      }
      const every = this.options.retrainEveryHours * HOUR;
      if (every > 0 && to < end && Math.floor(to / every) > Math.floor(from / every)) {
        this.ledger.retrains.push(await this.timed('retraining', () => retrainOnce(this.admin.as(keys.mlEngineer), to, this.options.minLabelsPerClass, log)));
      }
      const queueDepth = await this.timed('queue depth', () => this.queueDepth());
      this.clock.mark(to);
      this.ledger.steps.push({ at: to, realMs: Date.now() - startedAt.getTime(), queueDepth, ...this.step });
      if (Date.now() - lastLog > 10_000 || to >= end) {
        lastLog = Date.now();
        log(`simulated ${(to / HOUR).toFixed(1)} h of ${hours}: ${next} uploads, ${this.ledger.reviews.length} reviews, queue ${queueDepth}, ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
      }
    }
    await this.reconcile();
    const moderatorIds = await this.moderatorIds();
    return { ledger: this.ledger, clock: this.clock, moderatorIds, keys, startedAt, realMs: Date.now() - startedAt.getTime() };
  }

  /** Runs one phase of a step, adding its real time to the ledger's account. */
  private async timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.ledger.phaseMs[phase] = (this.ledger.phaseMs[phase] ?? 0) + Date.now() - started;
    }
  }

  /** Keys for the platform, the moderators (one marked senior), an analyst and an ML engineer. */
  private async setUp(): Promise<DriverResult['keys']> {
    const suffix = this.world.digest.slice(0, 6);
    const key = async (name: string, role: string) => (await this.admin.post<{ key: string }>('/v1/admin/api-keys', { name: `${name}-${suffix}`, role })).key;
    this.service = this.admin.as(await key('sim-platform', 'service'));
    this.feed = await DecisionFeed.open(this.admin, this.options.log);
    const analyst = await key('sim-analyst', 'analyst');
    this.analyst = this.admin.as(analyst);
    const mlEngineer = await key('sim-ml', 'ml_engineer');
    const seed = this.world.config.seed;
    for (const [i, profile] of this.world.moderators.entries()) {
      const http = this.admin.as(await key(profile.name, 'moderator'));
      this.desk.moderators.push({ profile, http, busyUntil: 0, exposure: [], draws: (item, source) => streamForKey(seed, STREAM.moderator, `${i}:${item}:${source}`) });
    }
    const listed = await this.admin.get<{ id: string; name: string }[]>('/v1/moderators');
    for (const m of this.desk.moderators) {
      const row = listed.find((r) => r.name === `${m.profile.name}-${suffix}`);
      if (row && m.profile.senior) await this.admin.patch(`/v1/moderators/${row.id}`, { senior: true, team: 'sim' });
    }
    return { service: this.service.key, analyst, mlEngineer };
  }

  /** The analyst reads the scan and watches the sharpest new hashtag whose examples look harmful (alertToWatch): new uploads carrying it are held for review. */
  private async watchSharpest(scan: TrendScanRecord): Promise<void> {
    const watched = new Set(this.ledger.watches.filter((w) => w.error === null).map((w) => w.subject));
    // What the analyst sees in an example's preview: the item's truth (undefined for content not the simulation's).
    const harmful = (contentId: string) => {
      const record = this.byContent.get(contentId);
      return record ? this.world.items[record.index].violates.length > 0 : undefined;
    };
    const alert = alertToWatch(scan, watched, harmful);
    if (!alert) return;
    const record: WatchRecord = { at: scan.at, alertId: alert.id, subject: alert.subject, policyId: alert.policyId, lift: alert.lift, queueId: null, error: null };
    try {
      const result = await this.analyst.post<{ work: { queueId: string } }>(`/v1/analysis/trends/${alert.id}/work`, { kind: 'watch', hours: 72 });
      record.queueId = result.work.queueId;
      // The team lead staffs the incident: every moderator takes the watch's queue first.
      this.desk.firstQueues.push(result.work.queueId);
    } catch (error) {
      record.error = (error as Error).message;
    }
    this.ledger.watches.push(record);
    this.options.log(`analyst at simulated hour ${scan.at / HOUR}: watching ${alert.subject} (lift ${alert.lift.toFixed(1)}, ${alert.policyId})${record.error ? ` — failed: ${record.error}` : ''}`);
  }

  private async moderatorIds(): Promise<Record<string, string>> {
    const suffix = this.world.digest.slice(0, 6);
    const listed = await this.admin.get<{ id: string; name: string }[]>('/v1/moderators');
    const ids: Record<string, string> = {};
    for (const m of this.world.moderators) {
      const row = listed.find((r) => r.name === `${m.name}-${suffix}`);
      if (row) ids[m.name] = row.id;
    }
    return ids;
  }

  /** The uploaded items by their index in the world, not by when their upload finished (which varies from run to run). */
  private inWorldOrder(): ItemRecord[] {
    return this.ledger.items.filter((record): record is ItemRecord => record !== undefined);
  }

  private visible(record: ItemRecord): boolean {
    return record.status === 'allowed' || (record.status === 'in_review' && !this.world.config.holdInReview);
  }

  /** Applies a status Loupe reports for an item at simulated time `at`. */
  private applyStatus(record: ItemRecord, status: string, at: number, removedBy: ItemRecord['removedBy'] = 'other'): void {
    const wasVisible = this.visible(record);
    if (wasVisible && record.visibleFrom !== null) this.accrue(record, at);
    record.status = status;
    const isVisible = this.visible(record);
    if (isVisible && !wasVisible) record.visibleFrom = at;
    if (!isVisible) record.visibleFrom = null;
    if (status === 'removed' && record.removedAt === null) {
      record.removedAt = at;
      record.removedBy = removedBy;
      const item = this.world.items[record.index];
      if (item.appeal.would) this.appeals.schedule(at + item.appeal.afterMinutes * MINUTE, record);
    }
  }

  // --- ingest -----------------------------------------------------------

  private async ingest(items: WorldItem[]): Promise<void> {
    await pool(items, this.options.concurrency, async (item) => {
      let uploaded: Uploaded;
      try {
        uploaded = await uploadAndSettle(this.service, item, this.clock.wall(item.uploadAt), this.feed);
      } catch (error) {
        this.ledger.errors.push(`upload ${item.index}: ${(error as Error).message}`);
        return;
      }
      const { id, sha256, content, settled } = uploaded;
      const record = newItemRecord(item.index, id, sha256, item.uploadAt);
      this.ledger.items[item.index] = record;
      this.byContent.set(id, record);
      this.step.uploads++;
      if (!settled) {
        this.ledger.errors.push(`item ${item.index} (${id}) still ${content.status} after 5 minutes`);
        record.status = content.status;
        return;
      }
      // Loupe's pipeline (hash, bank match, model, routing) counts as instant in simulated time: its decision is dated at the upload.
      record.ingestStatus = content.status;
      record.ingestSource = content.decision?.source ?? null;
      const score = (content.scores ?? []).find((s: any) => s.servingRole === 'champion' && s.policyScores?.adult_nudity !== undefined);
      record.score = score ? Number(score.policyScores.adult_nudity) : null;
      if (content.status === 'in_review') record.reviewEntry[content.decision?.source ?? 'model'] = item.uploadAt;
      this.applyStatus(record, content.status, item.uploadAt, content.decision?.source === 'hash' ? 'hash' : 'model');
    });
  }

  // --- reach and reports ------------------------------------------------

  /**
   * Adds the visible time since the last accrual, up to `until`, to the
   * item's exposure, and with it its views (a saturating curve of its visible
   * time) and the user reports those views bring.
   */
  private accrue(record: ItemRecord, until: number): void {
    if (record.visibleFrom === null) return;
    const start = record.visibleFrom;
    if (until <= start) return;
    const item = this.world.items[record.index];
    record.exposureMs += until - start;
    record.visibleFrom = until;
    const views = viewsAfter(item.reach, record.exposureMs);
    if (views <= record.views) return;
    if (record.firstViewAt === null) {
      // The instant the first view came, counted back from `until`.
      record.firstViewAt = Math.max(start, until - (record.exposureMs - firstViewExposure(item.reach)));
    }
    const added = views - record.views;
    record.views = views;
    this.pendingViews.push({ contentId: record.contentId, views, observedAt: this.clock.wall(until).toISOString() });
    this.maybeReport(record, item, added, until);
  }

  /** A user report: likelier with more views, far likelier on a true violation; at most one per item per accrual, five in all. */
  private maybeReport(record: ItemRecord, item: WorldItem, added: number, at: number): void {
    if (record.reports.length >= 5) return;
    let random = this.reportRandom.get(item.index);
    if (!random) this.reportRandom.set(item.index, (random = streamFor(this.world.config.seed, STREAM.reports, item.index)));
    const policyId = reportedPolicy(item, added, random);
    if (policyId === null) return;
    record.reports.push(at);
    record.reviewEntry.report ??= at;
    this.step.reportsSent++;
    this.inFlight.push(
      this.service
        .post(`/v1/contents/${record.contentId}/reports`, { policyId, reason: 'reported by a simulated user', reporterRef: `sim-user-${Math.floor(random() * 1e6)}`, reportedAt: this.clock.wall(at).toISOString() })
        .then(
          () => undefined,
          (error: Error) => void this.ledger.errors.push(`report ${item.index}: ${error.message}`),
        ),
    );
  }

  private async flushViews(): Promise<void> {
    // The step's user reports first: they were sent as the views that brought them accrued.
    const reports = this.inFlight;
    this.inFlight = [];
    await Promise.all(reports);
    const events = this.pendingViews;
    this.pendingViews = [];
    for (let i = 0; i < events.length; i += 5000) {
      const batch = events.slice(i, i + 5000);
      const answer = await this.service.post<{ results: { contentId: string; status: string; tiersCrossed?: number[]; code?: string }[] }>('/v1/views', { events: batch });
      for (const result of answer.results ?? []) {
        if (result.status === 'applied' && (result.tiersCrossed ?? []).length > 0) this.watch.add(result.contentId);
        else if (result.status !== 'applied') this.ledger.errors.push(`views for ${result.contentId}: ${result.code}`);
      }
      this.step.viewsSent += batch.length;
    }
  }

  /**
   * Loupe acts on its own after ingest: a virality tier re-checks an item, a
   * retro-hunt removes what a new bank entry matches. The simulator looks at
   * the items whose tiers were crossed, and at a rotating slice of the
   * visible ones, and applies what changed at the step's end.
   */
  private async recheck(at: number): Promise<void> {
    const visible = this.inWorldOrder().filter((r) => this.visible(r));
    const slice: string[] = [];
    for (let k = 0; k < Math.min(40, visible.length); k++) slice.push(visible[(this.sweepAt + k) % visible.length].contentId);
    this.sweepAt += 40;
    const ids = [...new Set([...this.watch, ...slice])];
    this.watch.clear();
    await pool(ids, 4, async (id) => {
      const record = this.byContent.get(id)!;
      const content = await this.service.get(`/v1/contents/${id}`);
      if (content.status !== record.status) {
        const source = content.decision?.source;
        if (content.status === 'in_review') record.reviewEntry[source === 'virality' ? 'virality' : (source ?? 'virality')] = at;
        this.applyStatus(record, content.status, at, source === 'hash' ? 'hash' : source === 'model' || source === 'virality' ? 'model' : 'other');
      }
    });
  }

  private async queueDepth(): Promise<number> {
    try {
      const queues = await this.admin.get<{ counts?: { open: number; leased: number } }[]>('/v1/review/queues');
      return queues.reduce((sum, q) => sum + (q.counts?.open ?? 0) + (q.counts?.leased ?? 0), 0);
    } catch {
      return -1;
    }
  }

  /**
   * At the end: every item once more, for what Loupe did that the steps did
   * not see (a retro-hunt's removal between sweeps), dated at the end.
   */
  private async reconcile(): Promise<void> {
    const end = this.world.config.hours * HOUR;
    await pool([...this.byContent.values()], 4, async (record) => {
      const content = await this.service.get(`/v1/contents/${record.contentId}`);
      if (content.status !== record.status) this.applyStatus(record, content.status, end, 'other');
    });
  }
}
