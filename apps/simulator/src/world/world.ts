/**
 * The simulated platform's world: every upload, its ground truth per policy,
 * its reach, whether its creator would appeal a removal, and the moderators.
 * A pure function of the configuration (seed included): no I/O, no clock,
 * so the same seed gives the same world, byte for byte (worldDigest), and
 * the report's figures can be recomputed from it.
 *
 * What depends on Loupe (what it removes, when, what it sends to review)
 * is not here: the driver records it in the ledger as it happens.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '@loupe/common';
import type { SceneKind } from './scenes';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Policies of the catalog (config/policy-catalog.yaml) that the world's violations belong to. */
export const POLICY = {
  nudity: 'adult_nudity',
  violence: 'graphic_violence',
  eatingDisorder: 'eating_disorder_promotion',
  dangerousActs: 'dangerous_acts',
  spam: 'spam',
} as const;

/** The policy a user report on a look-alike names: the one it resembles. */
export const LOOKALIKE_POLICY: Partial<Record<Category, string>> = { lookalike: POLICY.nudity, ed_recovery: POLICY.eatingDisorder };
/** The catalog's policies, for reports on ordinary content (users misreport under any of them). */
export const ANY_POLICY = ['spam', 'harassment', 'adult_nudity', 'dangerous_acts', 'graphic_violence', 'eating_disorder_promotion'];

export interface WorldConfig {
  seed: number;
  hours: number;
  uploads: number;
  /** Simulated minutes per step of the driver: views, reports and the moderators' work are settled per step. */
  tickMinutes: number;
  /** The simulated hour the trend starts (a motif and a hashtag no model knows); null: no trend. */
  trendStartHour: number | null;
  /** Share of uploads that are original violations (re-uploads and the trend come on top). */
  violationRate: number;
  /** Share of uploads that re-post media already seen violating, transformed. */
  reuploadRate: number;
  /** Share of original uploads (and of the history) posted as short videos of their scene rather than as pictures. */
  videoRate: number;
  /** Items in review are held from distribution until decided (true), or stay visible meanwhile. */
  holdInReview: boolean;
  /**
   * Labelled items from before the run: the platform's history. A platform
   * that adopts Loupe has moderated before, so its existing policies have
   * labels, and the models trained on them, from the first hour; only the
   * trend is new. The driver uploads them, reports them and has them
   * reviewed before simulated 0, then trains on them (see history.ts). 0: none.
   */
  historyItems: number;
  /**
   * History items that the platform's quality team made gold items (POST
   * /v1/review/gold, with the true answer) before simulated 0, on top of
   * historyItems: played through the history like the rest, so the
   * training data keeps its historyItems items. 0: no gold checks.
   */
  goldItems: number;
  /** Share of claims from the default queue answered with a gold task (the queue's goldRate). */
  goldRate: number;
}

export const DEFAULT_WORLD: WorldConfig = {
  seed: 1,
  hours: 24,
  uploads: 20_000,
  tickMinutes: 10,
  trendStartHour: 12,
  violationRate: 0.035,
  reuploadRate: 0.01,
  videoRate: 0.05,
  holdInReview: true,
  historyItems: 600,
  goldItems: 80,
  goldRate: 0.1,
};

export type Nuance = 'promotion' | 'recovery';

/** A short clip of the item's scene: a slow zoom, `frames` stills at `fps` (H.264, as phones post). */
export interface WorldVideo {
  frames: number;
  fps: number;
}

/** Random streams of the world beyond the main one (streamFor purposes; the driver's start at 1). */
const WORLD_STREAM = { video: 101, historyVideo: 102 } as const;

/** Whether an original is a clip, from its own stream: the rest of the world is the same with or without videos. */
function videoOf(config: WorldConfig, purpose: number, index: number): WorldVideo | undefined {
  const random = streamFor(config.seed, purpose, index);
  if (!(random() < config.videoRate)) return undefined;
  return { frames: 3 + Math.floor(random() * 4), fps: 2 };
}

export interface ReuploadTransform {
  scale?: number;
  crop?: number;
  flop?: boolean;
  format?: 'png' | 'jpeg' | 'webp';
  quality?: number;
}

export interface WorldItem {
  /** Position in upload order, from 0. */
  index: number;
  /** Simulated milliseconds since the start of the run. */
  uploadAt: number;
  creatorId: string;
  region: string;
  language: string;
  caption: string;
  hashtags: string[];
  media: { scene: SceneKind; seed: number; video?: WorldVideo; transform?: ReuploadTransform; reuploadOf?: number };
  /** The ground truth: the policies this item violates (empty for benign content). */
  violates: string[];
  /** For eating-disorder content: promotion violates, recovery does not (the nuance one moderator gets wrong). */
  nuance?: Nuance;
  /** Part of the emerging trend. */
  trend: boolean;
  /** The category the world drew it from, for the report's breakdowns. */
  category: Category;
  reach: {
    /** Views it would get in its life if nothing removed it. */
    total: number;
    /** Minutes after it becomes visible before the first view. */
    firstViewAfterMinutes: number;
    /** Time constant of its cumulative views, in hours: 63% of them by then. */
    tauHours: number;
    viral: boolean;
  };
  /** Whether the creator appeals if it is removed, and after how long. */
  appeal: { would: boolean; afterMinutes: number };
  /** A history item the quality team makes a gold item (WorldConfig.goldItems). */
  gold?: boolean;
}

export type Category =
  | 'ordinary'
  | 'lookalike'
  | 'ed_recovery'
  | 'nudity'
  | 'violence'
  | 'ed_promotion'
  | 'spam'
  | 'trend'
  | 'reupload';

export interface ModeratorProfile {
  name: string;
  senior: boolean;
  /** Probability of the right label, per policy; `default` for the rest. */
  accuracy: Record<string, number> & { default: number };
  /** Mean simulated seconds per item (exponentially spread around it, at least a fifth of it). */
  secondsPerItem: number;
  /** Simulated hours of the day on shift, [start, end), modulo 24. */
  shift: [number, number];
  /** High-severity items per simulated hour before a break (the wellbeing budget, kept in simulated time). */
  hourlyExposure: number;
}

export interface World {
  config: WorldConfig;
  items: WorldItem[];
  /** The platform's history (WorldConfig.historyItems), before simulated 0: negative upload times, no trend, no re-uploads. */
  history: WorldItem[];
  moderators: ModeratorProfile[];
  trend: { hashtag: string; caption: string; policyId: string; startAt: number | null };
  /** sha256 of the world's JSON: the same seed and configuration give the same digest. */
  digest: string;
}

const REGIONS: [string, string][] = [
  ['US', 'en'],
  ['GB', 'en'],
  ['DE', 'de'],
  ['FR', 'fr'],
  ['BR', 'pt'],
  ['IN', 'en'],
  ['ES', 'es'],
];

const ORDINARY_CAPTIONS = ['sunset walk', 'my lunch today', 'weekend hike', 'new recipe', 'city lights', 'morning coffee', 'road trip', 'garden update', 'cozy evening', 'beach day'];
const ORDINARY_TAGS = ['#travel', '#food', '#nature', '#vlog', '#sunset', '#weekend', '#home', '#fyp', '#friends', '#music'];

export const TREND = { hashtag: '#glowstarchallenge', caption: 'do the glow star challenge, rooftop edition', policyId: POLICY.dangerousActs };

/** A heavy tail: Pareto with shape 1.2 from a minimum of 20 views, capped; a few items go viral. */
function drawReach(random: () => number): WorldItem['reach'] {
  const viral = random() < 0.004;
  const pareto = 20 / Math.pow(1 - random(), 1 / 1.2);
  const total = Math.round(viral ? 200_000 + random() * 800_000 : Math.min(pareto, 150_000));
  return { total, firstViewAfterMinutes: viral ? 1 + random() * 2 : 2 + random() * 25, tauHours: viral ? 1 + random() * 2 : 1.5 + random() * 6, viral };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

/** Upload times over the run, sorted, busier in the evening (a diurnal curve). */
function uploadTimes(random: () => number, config: WorldConfig): number[] {
  const span = config.hours * HOUR;
  const times: number[] = [];
  while (times.length < config.uploads) {
    const at = random() * span;
    const hourOfDay = (at / HOUR) % 24;
    if (random() < 0.6 + 0.4 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI)) times.push(Math.floor(at));
  }
  return times.sort((a, b) => a - b);
}

function moderators(): ModeratorProfile[] {
  // Three shifts of eight simulated hours, two moderators each, and a senior across the day.
  return [
    { name: 'sim-ana', senior: false, accuracy: { default: 0.97 }, secondsPerItem: 40, shift: [0, 8], hourlyExposure: 40 },
    { name: 'sim-ben', senior: false, accuracy: { default: 0.95 }, secondsPerItem: 50, shift: [0, 8], hourlyExposure: 40 },
    { name: 'sim-cleo', senior: false, accuracy: { default: 0.96 }, secondsPerItem: 45, shift: [8, 16], hourlyExposure: 40 },
    // The weak one: confuses eating-disorder recovery with promotion.
    { name: 'sim-eve', senior: false, accuracy: { default: 0.95, [POLICY.eatingDisorder]: 0.6 }, secondsPerItem: 45, shift: [8, 16], hourlyExposure: 40 },
    { name: 'sim-finn', senior: false, accuracy: { default: 0.96 }, secondsPerItem: 40, shift: [16, 24], hourlyExposure: 40 },
    { name: 'sim-gus', senior: false, accuracy: { default: 0.94 }, secondsPerItem: 55, shift: [16, 24], hourlyExposure: 40 },
    { name: 'sim-sam', senior: true, accuracy: { default: 0.99 }, secondsPerItem: 60, shift: [0, 24], hourlyExposure: 40 },
  ];
}

/** The categories an original (not a re-upload, not the trend) is drawn from. */
type OriginalCategory = Exclude<Category, 'trend' | 'reupload'>;

/** What an original of a category looks like: its scene, caption, hashtags and truth. */
function originalItem(category: OriginalCategory, seed: number, random: () => number): Pick<WorldItem, 'caption' | 'hashtags' | 'media' | 'violates' | 'nuance' | 'category'> {
  const ordinaryText = () => ({ caption: pick(random, ORDINARY_CAPTIONS), hashtags: [pick(random, ORDINARY_TAGS), pick(random, ORDINARY_TAGS)].filter((t, i, all) => all.indexOf(t) === i) });
  switch (category) {
    case 'nudity':
      return { ...ordinaryText(), media: { scene: 'nudity', seed }, violates: [POLICY.nudity], category };
    case 'violence':
      return { caption: 'no filter, real footage', hashtags: ['#raw', '#street'], media: { scene: 'violence', seed }, violates: [POLICY.violence], category };
    case 'ed_promotion':
      return { caption: 'day 3 of eating under 500, who is with me', hashtags: ['#thinspo', '#skinnycheck'], media: { scene: 'ordinary', seed }, violates: [POLICY.eatingDisorder], nuance: 'promotion', category };
    case 'spam':
      return { caption: 'free followers!!! dm me, link in bio', hashtags: ['#free', '#followers', '#giveaway'], media: { scene: 'ordinary', seed }, violates: [POLICY.spam], category };
    case 'ed_recovery':
      return { caption: 'one year into recovery, eating with my family again', hashtags: ['#edrecovery', '#recoveryispossible'], media: { scene: 'ordinary', seed }, violates: [], nuance: 'recovery', category };
    case 'lookalike':
      return { caption: pick(random, ['museum visit', 'beach day', 'life drawing class', 'sculpture garden']), hashtags: ['#art', '#summer'], media: { scene: 'lookalike', seed }, violates: [], category };
    case 'ordinary':
      return { ...ordinaryText(), media: { scene: 'ordinary', seed }, violates: [], category };
  }
}

/**
 * The history's mix: richer in violations than a day's uploads, as the
 * labelled data of a moderated platform is (reports and reviews select for
 * them), with the look-alikes that teach a model where the line is.
 */
const HISTORY_MIX: [OriginalCategory, number][] = [
  ['nudity', 0.14],
  ['violence', 0.14],
  ['ed_promotion', 0.14],
  ['spam', 0.14],
  ['ed_recovery', 0.08],
  ['lookalike', 0.1],
  ['ordinary', 0.26],
];

/** The platform's history: evenly over the day before simulated 0 (from −24 h to −1 h), from a random stream of its own, so the day's items do not depend on it. */
function generateHistory(config: WorldConfig): WorldItem[] {
  const random = seededRandom((config.seed * 2_246_822_519 + 0x5eed) >>> 0);
  const items: WorldItem[] = [];
  // The gold items come after the rest from the same stream, so that adding them leaves every other history item as it was.
  const total = config.historyItems + config.goldItems;
  for (let k = 0; k < total; k++) {
    const [region, language] = pick(random, REGIONS);
    let roll = random();
    const category = HISTORY_MIX.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'ordinary';
    const gold = k >= config.historyItems;
    const [at, of] = gold ? [k - config.historyItems, config.goldItems] : [k, config.historyItems];
    // Gold items half a slot of their own apart from the rest, so that no two items share an upload time.
    const uploadAt = -24 * HOUR + Math.floor((23 * HOUR * (at + (gold ? 0.5 : 0))) / Math.max(1, of));
    const creatorId = `sim-creator-${Math.floor(random() * Math.max(50, config.uploads / 8))}`;
    // Media seeds past any day's index, so a history picture is never a day's picture.
    const original = originalItem(category, config.seed * 1_000_003 + 50_000_000 + k, random);
    const video = videoOf(config, WORLD_STREAM.historyVideo, k);
    if (video) original.media = { ...original.media, video };
    items.push({ index: k, uploadAt, creatorId, region, language, reach: drawReach(random), trend: false, ...original, appeal: { would: false, afterMinutes: 0 }, ...(gold ? { gold } : {}) });
  }
  // In time order, as the history is played.
  return items.sort((a, b) => a.uploadAt - b.uploadAt || a.index - b.index);
}

export function generateWorld(overrides: Partial<WorldConfig> = {}): World {
  const config: WorldConfig = { ...DEFAULT_WORLD, ...overrides };
  const random = seededRandom(config.seed);
  const times = uploadTimes(random, config);
  const trendStartAt = config.trendStartHour === null || config.trendStartHour >= config.hours ? null : config.trendStartHour * HOUR;
  const items: WorldItem[] = [];
  const violatingOriginals: number[] = [];
  for (const [index, uploadAt] of times.entries()) {
    const [region, language] = pick(random, REGIONS);
    const creatorId = `sim-creator-${Math.floor(random() * Math.max(50, config.uploads / 8))}`;
    const reach = drawReach(random);
    const base = { index, uploadAt, creatorId, region, language, reach, trend: false };
    const roll = random();
    // The trend's share of uploads grows from 2% at its start to 8% six hours later (or by the end of a shorter run).
    const ramp = Math.max(HOUR, Math.min(6 * HOUR, config.hours * HOUR - (trendStartAt ?? 0)));
    const trendShare = trendStartAt === null || uploadAt < trendStartAt ? 0 : Math.min(0.08, 0.02 + (0.06 * (uploadAt - trendStartAt)) / ramp);
    const v = config.violationRate;
    let item: Omit<WorldItem, 'appeal'>;
    if (roll < trendShare) {
      item = { ...base, trend: true, caption: TREND.caption, hashtags: [TREND.hashtag, '#fyp'], media: { scene: 'motif', seed: config.seed * 1_000_003 + index }, violates: [TREND.policyId], category: 'trend' };
    } else if (roll < trendShare + config.reuploadRate && violatingOriginals.length > 0) {
      const of = items[pick(random, violatingOriginals)];
      const transform: ReuploadTransform = {
        scale: pick(random, [1, 0.75, 0.5, 1.5]),
        crop: pick(random, [0, 0, 0.06, 0.12]),
        flop: random() < 0.25,
        format: pick(random, ['jpeg', 'webp', 'png'] as const),
        quality: Math.round(60 + random() * 35),
      };
      item = { ...base, caption: of.caption, hashtags: of.hashtags, media: { ...of.media, transform, reuploadOf: of.media.reuploadOf ?? of.index }, violates: of.violates, nuance: of.nuance, trend: of.trend, category: 'reupload' };
    } else {
      const r = (roll - trendShare - config.reuploadRate) / (1 - trendShare - config.reuploadRate);
      const category: OriginalCategory =
        r < v * 0.4 ? 'nudity' : r < v * 0.6 ? 'violence' : r < v * 0.8 ? 'ed_promotion' : r < v ? 'spam' : r < v + 0.006 ? 'ed_recovery' : r < v + 0.026 ? 'lookalike' : 'ordinary';
      item = { ...base, ...originalItem(category, config.seed * 1_000_003 + index, random) };
    }
    if (item.category !== 'reupload') {
      const video = videoOf(config, WORLD_STREAM.video, index);
      if (video) item.media = { ...item.media, video };
    }
    if (item.violates.length > 0 && item.category !== 'reupload') violatingOriginals.push(index);
    const wrongIfRemoved = item.violates.length === 0;
    items.push({ ...item, appeal: { would: random() < (wrongIfRemoved ? 0.6 : 0.08), afterMinutes: 20 + random() * 160 } });
  }
  const world = { config, items, history: generateHistory(config), moderators: moderators(), trend: { ...TREND, startAt: trendStartAt } };
  return { ...world, digest: createHash('sha256').update(JSON.stringify(world)).digest('hex') };
}

/** The ground truth for one policy. */
export function truthOf(item: WorldItem, policyId: string): boolean {
  return item.violates.includes(policyId);
}

/** The world's random stream for one purpose and item: independent of the order the driver meets things in. */
export function streamFor(seed: number, purpose: number, index: number): () => number {
  return seededRandom((seed * 2_654_435_761 + purpose * 40_503 + index * 97) >>> 0);
}

/** A stream for a compound key (a moderator, an item and a task source): its FNV-1a hash stands for the index. */
export function streamForKey(seed: number, purpose: number, key: string): () => number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return streamFor(seed, purpose, hash);
}
