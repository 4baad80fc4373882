/**
 * Drives a running Loupe through its public HTTP API with the world: the
 * platform's uploads, views and user reports (a service key), the creators'
 * appeals, and the moderators claiming and deciding review tasks (a key
 * each). Step by step in simulated time (see clock.ts for how the clock
 * works); everything it sees and does goes into the ledger.
 */
import { createHash } from 'node:crypto';
import { renderSvg, transformImage } from '@loupe/media';
import { HttpError, LoupeHttp } from '../loupe/http';
import { sceneSvg } from '../world/scenes';
import { HOUR, MINUTE, ModeratorProfile, streamFor, World, WorldItem } from '../world/world';
import { SimClock } from './clock';
import { emptyLedger, ItemRecord, Ledger } from './ledger';

const SETTLED = (status: string) => !['received', 'processing'].includes(status);
const HIGH_SEVERITY = new Set(['high', 'critical']);
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

interface Moderator {
  profile: ModeratorProfile;
  http: LoupeHttp;
  /** Simulated ms until which they are busy. */
  busyUntil: number;
  /** Simulated times of the high-severity items they were shown (for the budget, per simulated hour). */
  exposure: number[];
  random: () => number;
}

/** Runs `work` over `items` with at most `limit` at once, in order of start. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The bytes a world item uploads: its scene rendered, and for a re-upload the original's scene transformed. */
export async function renderItem(item: WorldItem): Promise<{ file: Buffer; filename: string; mime: string }> {
  const png = await renderSvg(sceneSvg(item.media.scene, item.media.seed));
  const transform = item.media.transform;
  if (!transform) return { file: png, filename: `${item.index}.png`, mime: 'image/png' };
  const format = transform.format ?? 'png';
  return { file: await transformImage(png, transform), filename: `${item.index}.${format === 'jpeg' ? 'jpg' : format}`, mime: `image/${format}` };
}

export class SimulationDriver {
  private readonly admin: LoupeHttp;
  private service!: LoupeHttp;
  private readonly moderators: Moderator[] = [];
  private readonly ledger: Ledger;
  private readonly byContent = new Map<string, ItemRecord>();
  private readonly reportRandom = new Map<number, () => number>();
  /** View counts to send at the step's end: [contentId, views, observedAt]. */
  private pendingViews: { contentId: string; views: number; observedAt: string }[] = [];
  private pendingAppeals: { at: number; record: ItemRecord }[] = [];
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
  }

  async run(): Promise<DriverResult> {
    const startedAt = new Date();
    const { log } = this.options;
    const keys = await this.setUp();
    this.clock = new SimClock(Math.floor(startedAt.getTime() / MINUTE) * MINUTE);
    const { hours, tickMinutes } = this.world.config;
    const stepMs = tickMinutes * MINUTE;
    const end = hours * HOUR;
    let next = 0;
    let lastLog = Date.now();
    for (let from = 0; from < end; from += stepMs) {
      const to = Math.min(end, from + stepMs);
      this.step = { uploads: 0, reviews: 0, viewsSent: 0, reportsSent: 0, appealsSent: 0 };
      await this.sendAppeals(to);
      const due: WorldItem[] = [];
      while (next < this.world.items.length && this.world.items[next].uploadAt < to) due.push(this.world.items[next++]);
      await this.ingest(due);
      await this.moderate(from, to);
      for (const record of this.byContent.values()) if (this.visible(record)) this.accrue(record, to);
      await this.flushViews();
      await this.recheck(to);
      const every = this.options.retrainEveryHours * HOUR;
      if (every > 0 && to < end && Math.floor(to / every) > Math.floor(from / every)) await this.retrain(to, keys.mlEngineer);
      const queueDepth = await this.queueDepth();
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

  /** Keys for the platform, the moderators (one marked senior), an analyst and an ML engineer. */
  private async setUp(): Promise<DriverResult['keys']> {
    const suffix = this.world.digest.slice(0, 6);
    const key = async (name: string, role: string) => (await this.admin.post<{ key: string }>('/v1/admin/api-keys', { name: `${name}-${suffix}`, role })).key;
    this.service = this.admin.as(await key('sim-platform', 'service'));
    const analyst = await key('sim-analyst', 'analyst');
    const mlEngineer = await key('sim-ml', 'ml_engineer');
    for (const [i, profile] of this.world.moderators.entries()) {
      const http = this.admin.as(await key(profile.name, 'moderator'));
      this.moderators.push({ profile, http, busyUntil: 0, exposure: [], random: streamFor(this.world.config.seed, STREAM.moderator, i) });
    }
    const listed = await this.admin.get<{ id: string; name: string }[]>('/v1/moderators');
    for (const m of this.moderators) {
      const row = listed.find((r) => r.name === `${m.profile.name}-${suffix}`);
      if (row && m.profile.senior) await this.admin.patch(`/v1/moderators/${row.id}`, { senior: true, team: 'sim' });
    }
    return { service: this.service.key, analyst, mlEngineer };
  }

  /**
   * The learning loop on the simulated schedule, through the public API as
   * an ML engineer would run it: a training run on the labels so far
   * (POST /v1/training-runs, asking minLabelsPerClass of each class for a
   * head: a day of a small platform has few labels), awaited; then, when its version passed the
   * gates, its promotion (POST /v1/models/policy-heads/promote). Simulated
   * time stands still meanwhile: the new model serves from this step's end.
   */
  private async retrain(at: number, mlKey: string): Promise<void> {
    const ml = this.admin.as(mlKey);
    const started = Date.now();
    const record: DriverResult['ledger']['retrains'][number] = { at, runId: null, status: 'not started', message: null, version: null, policies: [], gatesPassed: null, promoted: false, realSeconds: 0 };
    this.ledger.retrains.push(record);
    try {
      const run = await ml.post<{ id: string }>('/v1/training-runs', { params: { minLabelsPerClass: this.options.minLabelsPerClass } });
      record.runId = run.id;
      let state: { status: string; message: string | null; modelVersionId: string | null };
      for (;;) {
        state = await ml.get(`/v1/training-runs/${run.id}`);
        if (!['queued', 'running'].includes(state.status)) break;
        if (Date.now() - started > 15 * 60_000) {
          await ml.post(`/v1/training-runs/${run.id}/cancel`, {}).catch(() => undefined);
          state = { ...state, status: 'timed out' };
          break;
        }
        await sleep(1000);
      }
      record.status = state.status;
      record.message = state.message;
      if (state.status === 'succeeded' && state.modelVersionId) {
        const models = await ml.get<{ name: string; latestVersion: number }[]>('/v1/models');
        const latest = models.find((m) => m.name === 'policy-heads')?.latestVersion ?? null;
        if (latest !== null) {
          const version = await ml.get<{ id: string; version: number; policies: string[]; gatesPassed: boolean | null }>(`/v1/models/policy-heads/versions/${latest}`);
          record.version = version.version;
          record.policies = version.policies;
          record.gatesPassed = version.gatesPassed;
          if (version.gatesPassed) {
            await ml.post('/v1/models/policy-heads/promote', { version: version.version });
            record.promoted = true;
          }
        }
      }
    } catch (error) {
      record.status = record.runId ? record.status : 'refused';
      record.message = (error as Error).message;
    }
    record.realSeconds = (Date.now() - started) / 1000;
    this.options.log(
      `retrain at simulated hour ${(at / HOUR).toFixed(1)}: ${record.status}${record.version ? `, version ${record.version} (${record.policies.join(', ')})` : ''}` +
        `${record.promoted ? ', promoted' : record.gatesPassed === false ? ', gates failed' : ''}${record.message ? ` — ${record.message}` : ''}`,
    );
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
      if (item.appeal.would) this.pendingAppeals.push({ at: at + item.appeal.afterMinutes * MINUTE, record });
    }
  }

  // --- ingest -----------------------------------------------------------

  private async ingest(items: WorldItem[]): Promise<void> {
    await pool(items, this.options.concurrency, async (item) => {
      const { file, filename, mime } = await renderItem(item);
      let id: string;
      try {
        ({ id } = await this.service.upload(file, filename, mime, {
          caption: item.caption,
          hashtags: item.hashtags.join(','),
          creatorId: item.creatorId,
          region: item.region,
          language: item.language,
        }));
      } catch (error) {
        this.ledger.errors.push(`upload ${item.index}: ${(error as Error).message}`);
        return;
      }
      const record: ItemRecord = {
        index: item.index,
        contentId: id,
        sha256: createHash('sha256').update(file).digest('hex'),
        uploadedAt: item.uploadAt,
        ingestStatus: 'received',
        ingestSource: null,
        score: null,
        status: 'received',
        exposureMs: 0,
        visibleFrom: null,
        views: 0,
        firstViewAt: null,
        removedAt: null,
        removedBy: null,
        reinstatedAt: null,
        reports: [],
        appealedAt: null,
        appealOutcome: null,
        reviewEntry: {},
      };
      this.ledger.items[item.index] = record;
      this.byContent.set(id, record);
      this.step.uploads++;
      // Loupe's pipeline (hash, bank match, model, routing) counts as instant in simulated time: its decision is dated at the upload.
      const deadline = Date.now() + 300_000;
      for (let wait = 100; ; wait = Math.min(1000, wait * 1.5)) {
        const content = await this.service.get(`/v1/contents/${id}`);
        if (SETTLED(content.status)) {
          record.ingestStatus = content.status;
          record.ingestSource = content.decision?.source ?? null;
          const score = (content.scores ?? []).find((s: any) => s.servingRole === 'champion' && s.policyScores?.adult_nudity !== undefined);
          record.score = score ? Number(score.policyScores.adult_nudity) : null;
          if (content.status === 'in_review') record.reviewEntry[content.decision?.source ?? 'model'] = item.uploadAt;
          this.applyStatus(record, content.status, item.uploadAt, content.decision?.source === 'hash' ? 'hash' : 'model');
          return;
        }
        if (Date.now() > deadline) {
          this.ledger.errors.push(`item ${item.index} (${id}) still ${content.status} after 5 minutes`);
          record.status = content.status;
          return;
        }
        await sleep(wait);
      }
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
    const { total, firstViewAfterMinutes, tauHours } = item.reach;
    const delay = firstViewAfterMinutes * MINUTE;
    const tau = tauHours * HOUR;
    record.exposureMs += until - start;
    record.visibleFrom = until;
    const viewsAt = (exposure: number) => (exposure <= delay ? 0 : Math.floor(total * (1 - Math.exp(-(exposure - delay) / tau))));
    const views = viewsAt(record.exposureMs);
    if (views <= record.views) return;
    if (record.firstViewAt === null) {
      // The instant the first view came: the exposure at which the curve reaches 1, counted back from `until`.
      const firstAt = delay - tau * Math.log(1 - 1 / Math.max(total, 1.000001));
      record.firstViewAt = Math.max(start, until - (record.exposureMs - firstAt));
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
    // Per view: true violations are reported most; look-alikes (art, recovery stories) are misreported
    // under the policy they resemble; anything else now and then, under any policy.
    const LOOKALIKE: Partial<Record<WorldItem['category'], string>> = { lookalike: 'adult_nudity', ed_recovery: 'eating_disorder_promotion' };
    const lookalike = LOOKALIKE[item.category];
    const perView = item.violates.length > 0 ? 1 / 60 : lookalike ? 1 / 400 : 1 / 20_000;
    if (random() >= 1 - Math.pow(1 - perView, added)) return;
    const anyPolicy = ['spam', 'harassment', 'adult_nudity', 'dangerous_acts', 'graphic_violence', 'eating_disorder_promotion'];
    const policyId = item.violates[0] ?? lookalike ?? anyPolicy[Math.floor(random() * anyPolicy.length)];
    record.reports.push(at);
    record.reviewEntry.report ??= at;
    this.step.reportsSent++;
    this.inFlight.push(
      this.service
        .post(`/v1/contents/${record.contentId}/reports`, { policyId, reason: 'reported by a simulated user', reporterRef: `sim-user-${Math.floor(random() * 1e6)}` })
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
    const visible = [...this.byContent.values()].filter((r) => this.visible(r));
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

  // --- appeals ----------------------------------------------------------

  private async sendAppeals(until: number): Promise<void> {
    const due = this.pendingAppeals.filter((a) => a.at < until).sort((a, b) => a.at - b.at);
    this.pendingAppeals = this.pendingAppeals.filter((a) => a.at >= until);
    for (const { at, record } of due) {
      if (record.status !== 'removed' || record.appealedAt !== null) continue;
      try {
        await this.service.post(`/v1/contents/${record.contentId}/appeals`, { statement: 'My post does not break the rules' });
        record.appealedAt = at;
        record.reviewEntry.appeal = at;
        this.step.appealsSent++;
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 409)) this.ledger.errors.push(`appeal ${record.index}: ${(error as Error).message}`);
      }
    }
  }

  // --- review -----------------------------------------------------------

  private onShift(m: Moderator, at: number): boolean {
    const hour = Math.floor(at / HOUR) % 24;
    const [start, end] = m.profile.shift;
    return hour >= start && hour < end;
  }

  /**
   * The moderators on shift work the step's minutes: the one free soonest
   * claims the next task (GET /v1/review/next), spends their time on it and
   * decides it, until the step ends or the queue has nothing for them.
   */
  private async moderate(from: number, to: number): Promise<void> {
    const cursors = new Map<Moderator, number>();
    for (const m of this.moderators) if (this.onShift(m, from)) cursors.set(m, Math.max(from, m.busyUntil));
    for (;;) {
      let m: Moderator | undefined;
      for (const [candidate, at] of cursors) if (at < to && (!m || at < cursors.get(m)!)) m = candidate;
      if (!m) break;
      const at = cursors.get(m)!;
      m.exposure = m.exposure.filter((t) => t > at - HOUR);
      if (m.exposure.length >= m.profile.hourlyExposure) {
        // The wellbeing budget, in simulated time: a 15-minute break.
        this.ledger.breaks++;
        cursors.set(m, at + 15 * MINUTE);
        continue;
      }
      let task: any;
      try {
        const answer = await m.http.send<any>('GET', '/v1/review/next', undefined, [200, 204, 423]);
        task = answer.status === 200 ? answer.body : null;
        if (answer.status === 423) {
          this.ledger.breaks++;
          cursors.set(m, at + 15 * MINUTE);
          continue;
        }
      } catch (error) {
        this.ledger.errors.push(`claim by ${m.profile.name}: ${(error as Error).message}`);
        task = null;
      }
      if (!task) {
        cursors.set(m, to); // nothing for them until the next step
        continue;
      }
      const decidedAt = await this.decide(m, task, at);
      cursors.set(m, decidedAt);
      m.busyUntil = decidedAt;
    }
  }

  private async decide(m: Moderator, task: any, at: number): Promise<number> {
    const record = this.byContent.get(task.content.id);
    if (!record) {
      // Not the simulation's content (a shared deployment): give it back untouched.
      this.ledger.foreignTasks++;
      await m.http.post(`/v1/review/tasks/${task.id}/release`, { reason: 'simulator: not simulated content' }).catch(() => undefined);
      return at + 5_000;
    }
    const item = this.world.items[record.index];
    const source: string = task.source;
    const enteredAt = Math.min(at, record.reviewEntry[source] ?? record.reviewEntry.report ?? record.uploadedAt);
    const claimedAt = Math.max(at, enteredAt);
    const random = m.random;
    const seconds = Math.max(m.profile.secondsPerItem / 5, -Math.log(1 - random()) * m.profile.secondsPerItem);
    const policies = [...new Set<string>([...(task.policyIds ?? []), ...item.violates])];
    if (policies.length === 0) policies.push('spam');
    let correct = true;
    const labels = policies.map((policyId) => {
      const truth = item.violates.includes(policyId);
      const right = random() < (m.profile.accuracy[policyId] ?? m.profile.accuracy.default);
      if (!right) correct = false;
      const violating = right ? truth : !truth;
      const label: { policyId: string; violating: boolean; nuance?: string } = { policyId, violating };
      if (policyId === 'eating_disorder_promotion' && item.nuance) label.nuance = violating ? 'promotion' : 'recovery';
      return label;
    });
    if (HIGH_SEVERITY.has(task.severity)) m.exposure.push(claimedAt);
    const decidedAt = claimedAt + seconds * 1000;
    let outcome = 'error';
    try {
      const decision = await m.http.post<{ outcome: string }>(`/v1/review/tasks/${task.id}/decision`, { labels, note: 'simulated review' });
      outcome = decision.outcome;
    } catch (error) {
      this.ledger.errors.push(`decision by ${m.profile.name} on ${record.index}: ${(error as Error).message}`);
    }
    this.step.reviews++;
    this.ledger.reviews.push({
      taskId: task.id,
      index: record.index,
      moderator: m.profile.name,
      source,
      enteredAt,
      claimedAt,
      decidedAt,
      seconds,
      saidViolating: labels.some((l) => l.violating),
      correct,
      benign: item.violates.length === 0,
      labels: labels.map((l) => ({ policyId: l.policyId, violating: l.violating, truth: item.violates.includes(l.policyId) })),
      outcome,
    });
    // What the decision did to the item (a consensus case may wait for more reviews).
    const content = await this.service.get(`/v1/contents/${record.contentId}`);
    if (source === 'appeal' && record.appealedAt !== null) {
      record.appealOutcome = content.status === 'removed' ? 'upheld' : 'overturned';
      if (content.status !== 'removed') record.reinstatedAt = decidedAt;
    }
    if (content.status !== record.status) this.applyStatus(record, content.status, decidedAt, 'human');
    return decidedAt;
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
