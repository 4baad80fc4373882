import { readFile } from 'node:fs/promises';
import { LoupeHttpClient } from './loupe-http.client';
import { flipPdqBits } from '@loupe/hashing';
import { samplePng } from './sample-images.factory';

const HOUR = 3_600_000;
const NUDITY = 'adult_nudity';
const ED = 'eating_disorder_promotion';
/** The simulated hour of the burst, counted from the first hour of the sample's trend stream (26 hours ago). */
export const BURST_HOUR = 20;
const STREAM_HOURS = 26;
const BURST_ITEMS = 8;
export const BURST_TAG = '#miraclecure';
export const STEADY_TAG = '#dailyvlog';
export const DEMO_NAMES = { platform: 'demo-platform', analyst: 'demo-analyst', ana: 'demo-ana', ben: 'demo-ben', cleo: 'demo-cleo', dan: 'demo-dan' } as const;
const REVIEW_QUEUE = 'demo-review';
const ACCURACY_QUEUE = 'demo-accuracy';

type Label = { policyId: string; violating: boolean; nuance?: string };
const yes = (policyId = NUDITY): Label[] => [{ policyId, violating: true }];
const no = (policyId = NUDITY): Label[] => [{ policyId, violating: false }];

export interface SampleHistoryOptions {
  url: string;
  adminKey: string;
  /** The borderline fixture (test/fixtures/borderline-adult-nudity.png): the model scores it 0.78, for the near miss. */
  borderlineImage: string;
  /** Moves items' upload times in the server's database: the one step no API does (see DemoHistoryRepository). */
  moveUploadTimes(moves: { contentId: string; to: Date }[]): Promise<number>;
  progress(done: number, label: string): void;
}

export interface SampleHistoryRecord {
  keys: { analyst: string };
  moderators: Record<'ana' | 'ben' | 'cleo' | 'dan', string>;
  misses: Record<'humanError' | 'near' | 'blind' | 'noModel' | 'variant', string>;
  caught: string;
  burst: string[];
  steady: string[];
  burstHourAt: Date;
  scannedUntil: Date;
}

/** Steps the progress bar counts: uploads, decisions, scans and the set-up around them. */
export const SAMPLE_HISTORY_STEPS = 125;

/**
 * A sample history, made through Loupe's HTTP API as the platform and the
 * moderators would make it (README, "An analyst's walk-through"):
 * - misses, one per cause, each confirmed later by a user report and a removal:
 *   human error (Cleo allows an item the model sent to review), near threshold
 *   (the borderline fixture, 0.78, under a review threshold of 0.85), blind
 *   spot (an ordinary picture the model scores low), no model (graphic
 *   violence, which no model scores), hash variant (20 bits from an entry of a
 *   bank whose threshold is 10); and one caught at ingest by a bank;
 * - moderators of known behaviour on eight items that need three blind
 *   reviews (Ana always right, Ben over-removes, Cleo never removes), gold
 *   items on eating-disorder content, and Dan, a senior, settling the
 *   disagreements;
 * - an appeal that reinstates a wrong removal;
 * - a day of reported items tagged #dailyvlog, one an hour, and at hour 20 a
 *   burst of eight re-uploads of a banked picture tagged #miraclecure, removed
 *   at ingest, then the trend scan for each hour since, as the hourly job
 *   would have run it.
 * Ingest takes no event time, so the misses and the trend stream are moved
 * back to the hours they simulate (options.moveUploadTimes): most misses were
 * uploaded a day and a half before users reported them, the stream runs
 * through the last 26 hours.
 */
export class SampleHistoryScenario {
  private readonly admin: LoupeHttpClient;
  private service!: LoupeHttpClient;
  private analyst!: LoupeHttpClient;
  private readonly mods = {} as Record<'ana' | 'ben' | 'cleo' | 'dan', LoupeHttpClient>;
  private done = 0;

  constructor(private readonly options: SampleHistoryOptions) {
    this.admin = new LoupeHttpClient(options.url.replace(/\/+$/, ''), options.adminKey);
  }

  async run(): Promise<SampleHistoryRecord> {
    const record = { misses: {}, moderators: {} } as SampleHistoryRecord;
    const existing = (await this.admin.get<{ name: string }[]>('/v1/moderators')).map((m) => m.name);
    if (existing.includes(DEMO_NAMES.ana)) {
      throw new Error('This Loupe already holds the sample history (moderator demo-ana exists). Load it into a fresh database.');
    }
    const [rules, originalThresholds] = await this.setUp(record);
    try {
      await this.thresholds(0, 1); // everything to review for a moment: the human error and the accuracy items
      record.misses.humanError = await this.expectStatus(await this.upload(7101, 'DE', 'de', 'Sommer am See', 'sommer'), ['in_review']);
      const humanErrorTask = await this.claimFor(this.mods.cleo, REVIEW_QUEUE, record.misses.humanError);
      await this.decide(this.mods.cleo, humanErrorTask.id, no()); // the human error
      const accuracyItems: string[] = [];
      for (let i = 0; i < 8; i++) accuracyItems.push(await this.upload(7001 + i, 'NO', 'en', `fjord view ${i + 1}`, 'norway,travel'));
      for (const id of accuracyItems) await this.expectStatus(id, ['in_review']);

      // From here the model sends to review from 0.85: the borderline fixture (0.78) passes just under it.
      await this.thresholds(0.85, 0.95);
      record.misses.near = await this.expectStatus(await this.uploadFile(await readFile(this.options.borderlineImage), 'DE', 'de', 'Abendlicht', 'kunst'), ['allowed']);
      record.misses.blind = await this.expectStatus(await this.upload(7102, 'FR', 'fr', 'une journée à la plage', 'plage,été'), ['allowed']);
      record.misses.noModel = await this.expectStatus(await this.upload(7103, 'DE', 'de', 'Straßenszene', 'stadt'), ['allowed']);
      const variantImage = samplePng(7104);
      const bank = await this.admin.post('/v1/banks', { name: 'demo-known-abuse', policyId: NUDITY });
      await this.admin.patch(`/v1/banks/${bank.id}`, { pdqDistance: 10 });
      await this.admin.post(`/v1/banks/${bank.id}/entries`, { signalType: 'pdq', hash: flipPdqBits(await this.service.pdq(variantImage), 20), note: 'a near copy, shared by a partner' });
      record.misses.variant = await this.expectStatus(await this.uploadFile(variantImage, 'FR', 'fr', 'soirée', 'fête'), ['allowed']);
      const banked = await this.expectStatus(await this.upload(9101, 'BR', 'pt', 'meu vlog de hoje', 'dailyvlog'), ['allowed']);
      const appealed = await this.expectStatus(await this.upload(7105, 'US', 'en', 'museum visit', 'art,sculpture'), ['allowed', 'in_review']);

      // The moderators of known behaviour, three blind reviews each item: items 0–2 violate.
      const truth = (contentId: string) => accuracyItems.indexOf(contentId) < 3;
      const answers = {
        ana: (c: string) => (truth(c) ? yes() : no()),
        ben: (c: string) => (truth(c) || [3, 4].includes(accuracyItems.indexOf(c)) ? yes() : no()),
        cleo: () => no(),
      };
      for (const name of ['ana', 'ben', 'cleo'] as const) await this.work(name, ACCURACY_QUEUE, answers[name]);
      // Gold on eating-disorder content (the pictures of items 5–7), at every claim while one is unseen.
      const promotion: Label = { policyId: ED, violating: true, nuance: 'promotion' };
      const recovery: Label = { policyId: ED, violating: false, nuance: 'recovery' };
      const gold = [[promotion], [recovery], [recovery]];
      for (const [k, labels] of gold.entries()) await this.admin.post('/v1/review/gold', { contentId: accuracyItems[5 + k], labels });
      await this.admin.put(`/v1/review/queues/${ACCURACY_QUEUE}`, { name: 'Demo: accuracy', goldRate: 1 });
      const goldAnswers = {
        ana: (c: string) => gold[accuracyItems.indexOf(c) - 5],
        ben: (c: string) => [accuracyItems.indexOf(c) === 7 ? recovery : promotion],
        cleo: () => [{ policyId: ED, violating: false }],
      };
      for (const name of ['ana', 'ben', 'cleo'] as const) await this.work(name, ACCURACY_QUEUE, goldAnswers[name]);
      await this.admin.put(`/v1/review/queues/${ACCURACY_QUEUE}`, { name: 'Demo: accuracy', goldRate: 0 });
      // Dan, a senior, settles the disagreements rightly.
      await this.work('dan', 'senior', (c) => (accuracyItems.includes(c) ? (truth(c) ? yes() : no()) : yes()));

      // The misses were uploaded a day and a half ago (moved back: ingest takes no event time), and seen since.
      // Not the hash variant: a bank entry made after an upload would not make it a variant the bank knew.
      // Views spread over those hours stay far under the virality tiers (VIRALITY_TIERS, from 1,000 an hour),
      // which would otherwise re-check the items and open cases of their own in the middle of the story.
      const hourNow = Math.floor(Date.now() / HOUR) * HOUR;
      const hoursAgo = (hours: number, minute: number) => new Date(hourNow - hours * HOUR + minute * 60_000);
      await this.move([
        { contentId: record.misses.humanError, to: hoursAgo(44, 12) },
        { contentId: record.misses.near, to: hoursAgo(40, 31) },
        { contentId: record.misses.blind, to: hoursAgo(38, 47) },
        { contentId: record.misses.noModel, to: hoursAgo(35, 3) },
        { contentId: appealed, to: hoursAgo(31, 40) },
      ]);
      // Users report the misses; Dan confirms each. The near miss was seen most before anyone reported it.
      for (const [id, views] of [[record.misses.near, 250], [record.misses.humanError, 120]] as const) {
        await this.service.post(`/v1/contents/${id}/views`, { views });
      }
      for (const item of ['near', 'blind', 'humanError', 'variant'] as const) await this.reportAndRemove(record.misses[item], NUDITY);
      await this.reportAndRemove(record.misses.noModel, 'graphic_violence');
      await this.reportAndRemove(banked, NUDITY); // its removal banks the picture the burst re-uploads
      await this.reportAndRemove(appealed, NUDITY); // a wrong removal, appealed below
      await this.service.post(`/v1/contents/${appealed}/appeals`, { statement: 'It is a sculpture in a museum' });
      const appealTask = (await this.claimFor(this.mods.ana, REVIEW_QUEUE, appealed, true)) ?? (await this.claimFor(this.mods.ana, 'appeals', appealed));
      await this.decide(this.mods.ana, appealTask.id, no());

      // Caught: the blind spot's re-upload, removed at ingest by the entry its removal made.
      record.caught = await this.expectStatus(await this.upload(7102, 'FR', 'fr', 'la plage encore', 'plage'), ['removed']);

      // The trend stream: the burst of re-uploads, and a day of reported vlogs.
      record.burst = [];
      for (let i = 0; i < BURST_ITEMS; i++) record.burst.push(await this.upload(9101, 'BR', 'pt', 'cura milagrosa, link na bio', 'dailyvlog,miraclecure'));
      for (const id of record.burst) await this.expectStatus(id, ['removed']);
      record.steady = [];
      for (let hour = 0; hour < BURST_HOUR + 2; hour++) record.steady.push(await this.upload(9200 + hour, 'BR', 'pt', 'meu vlog de hoje', 'dailyvlog'));
      for (const id of record.steady) {
        await this.expectStatus(id, ['allowed', 'in_review']);
        await this.service.post(`/v1/contents/${id}/reports`, { policyId: NUDITY, reason: 'spam wave', reporterRef: 'demo-user' });
        this.tick('reports');
      }

      // Back to their simulated hours: the stream starts 26 hours ago, on the hour.
      const start = Math.floor(Date.now() / HOUR) * HOUR - STREAM_HOURS * HOUR;
      const at = (hour: number, minute = 0) => new Date(start + hour * HOUR + minute * 60_000);
      const moves = [
        { contentId: banked, to: at(0, 5) },
        ...record.steady.map((contentId, hour) => ({ contentId, to: at(hour, 10) })),
        ...record.burst.map((contentId, i) => ({ contentId, to: at(BURST_HOUR, 20 + i) })),
      ];
      await this.move(moves);
      // The vlogs' reach since their (simulated) upload.
      for (const [hour, id] of record.steady.entries()) await this.service.post(`/v1/contents/${id}/views`, { views: 40 + 17 * hour });

      // The hourly scan, as it would have run after each hour since the burst began.
      for (let hour = BURST_HOUR + 1; hour <= STREAM_HOURS; hour++) {
        await this.analyst.post('/v1/analysis/trends/scan', { until: at(hour).toISOString() });
        this.tick('trend scans');
      }
      record.burstHourAt = at(BURST_HOUR);
      record.scannedUntil = at(STREAM_HOURS);
      record.keys = { analyst: this.analyst.key };
      return record;
    } finally {
      // Leave the platform as configured: the thresholds it had, and no demo rules routing new items.
      await this.thresholds(originalThresholds.review, originalThresholds.remove).catch(() => undefined);
      for (const rule of rules) await this.admin.patch(`/v1/review/routing-rules/${rule}`, { enabled: false }).catch(() => undefined);
    }
  }

  /** Keys, teams, the demo's queues and routing rules; returns the rules' ids and adult nudity's thresholds before the demo. */
  private async setUp(record: SampleHistoryRecord): Promise<[string[], { review: number; remove: number }]> {
    const key = async (name: string, role: string) => (await this.admin.post<{ key: string }>('/v1/admin/api-keys', { name, role })).key;
    this.service = this.admin.as(await key(DEMO_NAMES.platform, 'service'));
    this.analyst = this.admin.as(await key(DEMO_NAMES.analyst, 'analyst'));
    for (const name of ['ana', 'ben', 'cleo', 'dan'] as const) this.mods[name] = this.admin.as(await key(DEMO_NAMES[name], 'moderator'));
    const moderators = await this.admin.get<{ id: string; name: string }[]>('/v1/moderators');
    for (const name of ['ana', 'ben', 'cleo', 'dan'] as const) {
      const id = moderators.find((m) => m.name === DEMO_NAMES[name])!.id;
      record.moderators[name] = id;
      await this.admin.patch(`/v1/moderators/${id}`, { team: name === 'cleo' ? 'night' : 'day', senior: name === 'dan' });
    }
    this.tick('keys');
    // The demo's own queues, fed by rules on the sample's regions, so that its claims meet only its own cases.
    await this.admin.put(`/v1/review/queues/${REVIEW_QUEUE}`, { name: 'Demo: reports and model review', slaMinutes: 1440 });
    await this.admin.put(`/v1/review/queues/${ACCURACY_QUEUE}`, { name: 'Demo: accuracy' });
    const accuracyRule = await this.admin.post('/v1/review/routing-rules', {
      name: 'Demo: accuracy, three blind reviews',
      position: 0,
      conditions: { regions: ['NO'] },
      queueId: ACCURACY_QUEUE,
      consensusReviews: 3,
    });
    const reviewRule = await this.admin.post('/v1/review/routing-rules', {
      name: 'Demo: the sample history',
      position: 1,
      conditions: { regions: ['DE', 'FR', 'US', 'BR'] },
      queueId: REVIEW_QUEUE,
      consensusReviews: 1,
    });
    const policy = (await this.admin.get<{ id: string; thresholds: { review: number; remove: number } }[]>('/v1/policies')).find((p) => p.id === NUDITY)!;
    this.tick('queues');
    return [[accuracyRule.id, reviewRule.id], policy.thresholds];
  }

  private async thresholds(review: number, remove: number): Promise<void> {
    await this.admin.put(`/v1/policies/${NUDITY}/thresholds`, { review, remove });
  }

  private tick(label: string): void {
    this.done++;
    this.options.progress(this.done, label);
  }

  private upload(seed: number, region: string, language: string, caption: string, hashtags: string): Promise<string> {
    return this.uploadFile(samplePng(seed), region, language, caption, hashtags);
  }

  private async uploadFile(file: Buffer, region: string, language: string, caption: string, hashtags: string): Promise<string> {
    const id = await this.service.upload(file, { caption, hashtags, creatorId: `demo-creator-${region.toLowerCase()}`, region, language });
    this.tick('uploads');
    return id;
  }

  /** Waits until routing settles the item, and checks it went where the story needs it. */
  private async expectStatus(id: string, statuses: string[]): Promise<string> {
    const deadline = Date.now() + 180_000; // the first classification loads the model
    for (;;) {
      const content = await this.service.get(`/v1/contents/${id}`);
      if (!['received', 'processing'].includes(content.status)) {
        if (!statuses.includes(content.status)) {
          throw new Error(
            `Sample item ${id} is ${content.status} (${content.decision?.reason ?? 'no decision'}), not ${statuses.join(' or ')}: ` +
              'this database has history of its own. Load the sample into a fresh database.',
          );
        }
        return id;
      }
      if (Date.now() > deadline) throw new Error(`Sample item ${id} is still ${content.status} after 3 minutes: are the workers running?`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async waitForScores(ids: string[]): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (const id of ids) {
      while (((await this.service.get(`/v1/contents/${id}`)).scores ?? []).length === 0) {
        if (Date.now() > deadline) throw new Error(`Sample item ${id} has no model scores after 2 minutes: are the workers running?`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** The moderator's next task in the queue, which must be this item's (or null when `optional` and the queue is empty). */
  private async claimFor(moderator: LoupeHttpClient, queue: string, contentId: string, optional = false): Promise<any> {
    const task = await moderator.claim(queue);
    if (!task && optional) return null;
    if (!task || task.content.id !== contentId) {
      throw new Error(`Expected the task of ${contentId} in queue ${queue}, got ${task ? `that of ${task.content.id}` : 'none'}`);
    }
    return task;
  }

  private async decide(moderator: LoupeHttpClient, taskId: string, labels: Label[]): Promise<void> {
    await moderator.post(`/v1/review/tasks/${taskId}/decision`, { labels });
    this.tick('decisions');
  }

  /** Claims from the queue until it is empty, answering as the moderator does. */
  private async work(name: 'ana' | 'ben' | 'cleo' | 'dan', queue: string, answer: (contentId: string) => Label[]): Promise<void> {
    for (let task = await this.mods[name].claim(queue); task; task = await this.mods[name].claim(queue)) {
      await this.decide(this.mods[name], task.id, answer(task.content.id));
    }
  }

  private async reportAndRemove(contentId: string, policyId: string): Promise<void> {
    await this.service.post(`/v1/contents/${contentId}/reports`, { policyId, reason: 'seen by a user', reporterRef: 'demo-user' });
    const task = await this.claimFor(this.mods.dan, REVIEW_QUEUE, contentId);
    await this.decide(this.mods.dan, task.id, yes(policyId));
  }

  /** Moves items back to the times they simulate, with everything recorded about them so far. */
  private async move(moves: { contentId: string; to: Date }[]): Promise<void> {
    // Items removed at ingest are classified afterwards: their scores must exist to move with them.
    await this.waitForScores(moves.map((m) => m.contentId));
    const moved = await this.options.moveUploadTimes(moves);
    if (moved !== moves.length) {
      throw new Error(`Moved ${moved} of ${moves.length} items back in time: the database this command opened (DATABASE_URL) is not the server's.`);
    }
    this.tick('history moved back');
  }
}
