/**
 * What happened, in simulated time: the simulator's own record of every
 * item's life on the platform (when it became visible, its views, its
 * removal), every review, report and appeal. The report is computed from
 * this ledger and the world's truth; the end-to-end test recomputes some of
 * it from the world and Loupe's answers.
 */
export interface ItemRecord {
  index: number;
  contentId: string;
  /** sha256 of the file uploaded (Loupe's `media.sha256` for the same item). */
  sha256: string;
  uploadedAt: number;
  /** The status the pipeline settled on after ingest, and by what. */
  ingestStatus: string;
  ingestSource: string | null;
  /** The adult-nudity score of the serving model at ingest, when there is one. */
  score: number | null;
  status: string;
  /** Simulated ms the item has been visible in all. */
  exposureMs: number;
  /** When it last became visible (simulated ms), or null while hidden. */
  visibleFrom: number | null;
  views: number;
  firstViewAt: number | null;
  /** The first removal, simulated ms, and what removed it. */
  removedAt: number | null;
  removedBy: 'hash' | 'model' | 'human' | 'other' | null;
  reinstatedAt: number | null;
  reports: number[];
  appealedAt: number | null;
  appealOutcome: 'overturned' | 'upheld' | null;
  /** When the item last entered review, by what brought it there (simulated ms). */
  reviewEntry: Record<string, number>;
}

/** The record of an item Loupe has just taken in, before its pipeline's answer is applied. */
export function newItemRecord(index: number, contentId: string, sha256: string, uploadedAt: number): ItemRecord {
  return {
    index,
    contentId,
    sha256,
    uploadedAt,
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
}

export interface ReviewRecord {
  taskId: string;
  index: number;
  moderator: string;
  source: string;
  enteredAt: number;
  claimedAt: number;
  decidedAt: number;
  seconds: number;
  /** The moderator said it violates something. */
  saidViolating: boolean;
  /** The moderator's labels agreed with the truth on every policy labelled. */
  correct: boolean;
  /** The item is benign in truth. */
  benign: boolean;
  /** Each label given, with the truth for that policy. */
  labels: { policyId: string; violating: boolean; truth: boolean }[];
  outcome: string;
}

export interface StepRecord {
  /** The step's end, simulated ms. */
  at: number;
  realMs: number;
  uploads: number;
  /** Open and leased review tasks at the step's end (GET /v1/review/queues). */
  queueDepth: number;
  reviews: number;
  viewsSent: number;
  reportsSent: number;
  appealsSent: number;
}

/** A scheduled retraining: a training run through the API, then a promotion of the heads whose gates pass. */
export interface RetrainRecord {
  /** Simulated ms: the step end it ran at (training counts as instant in simulated time). */
  at: number;
  runId: string | null;
  status: string;
  message: string | null;
  version: number | null;
  policies: string[];
  gatesPassed: boolean | null;
  /** Whether any of its heads was promoted. */
  promoted: boolean;
  /** The heads promoted: all of them when the gates passed, else those whose own gates passed. */
  promotedPolicies: string[];
  realSeconds: number;
  /** Real seconds per stage of the run (queued, dataset, features, training, evaluating, saving), from its polled progress. */
  stageSeconds: Record<string, number>;
}

/** An hourly trend scan (POST /v1/analysis/trends/scan as of the simulated hour) and the alerts it raised or updated. */
export interface TrendScanRecord {
  /** Simulated ms: the hour scanned up to. */
  at: number;
  /** Term-burst alerts (subject, as #hashtag or a word) with the simulated ms of the hour Loupe saw each begin. */
  alerts: { id: string; kind: string; subject: string; firstSeenAt: number; lift: number; policyId: string | null; examples?: string[] }[];
  error: string | null;
}

/** A review of a history item (history.ts): in no simulated time, so not in the human cost; in the moderators' accuracy. */
export interface HistoryReviewRecord {
  moderator: string;
  source: string;
  correct: boolean;
  labels: { policyId: string; violating: boolean; truth: boolean }[];
}

/** A gold task a moderator decided in the day (a history item with a known answer): in the human cost and the moderators' accuracy. */
export interface GoldReviewRecord extends HistoryReviewRecord {
  /** Simulated ms. */
  claimedAt: number;
  seconds: number;
}

/** The gold checks: history items made gold items before simulated 0, and the queue's gold rate. */
export interface GoldRecord {
  /** Gold items registered (POST /v1/review/gold). */
  items: number;
  /** The default queue's gold rate set (PUT /v1/review/queues/default); null when setting it failed. */
  rate: number | null;
  reviews: GoldReviewRecord[];
}

/** The platform's history, labelled before simulated 0. */
export interface HistoryRecord {
  items: number;
  uploaded: number;
  /** Loupe's decisions at ingest, by status. */
  ingest: Record<string, number>;
  /** User reports sent on the history items Loupe allowed. */
  reported: number;
  reviews: HistoryReviewRecord[];
  /** Review tasks still open when the moderators stopped (a bound on the rounds, or claims refused). */
  leftOpen: number;
  realSeconds: number;
}

/** A trend watch the simulated analyst made (POST /v1/analysis/trends/:id/work, kind watch) after an hourly scan. */
export interface WatchRecord {
  /** Simulated ms: the scan's hour. */
  at: number;
  alertId: string;
  subject: string;
  policyId: string | null;
  lift: number;
  /** The watch's queue, which the moderators work first while it has tasks. */
  queueId: string | null;
  error: string | null;
}

export interface Ledger {
  watches: WatchRecord[];
  /** Null when the run had no history. */
  history: HistoryRecord | null;
  gold: GoldRecord | null;
  retrains: RetrainRecord[];
  trendScans: TrendScanRecord[];
  items: (ItemRecord | undefined)[];
  reviews: ReviewRecord[];
  steps: StepRecord[];
  /** Tasks released because they were not the simulation's content (a shared deployment). */
  foreignTasks: number;
  /** Moderators' breaks taken for the exposure budget, in simulated time. */
  breaks: number;
  /** Real ms spent in each phase of the steps (ingest, moderation, views, ...), summed over the run: where its time went. */
  phaseMs: Record<string, number>;
  errors: string[];
}

export function emptyLedger(uploads: number): Ledger {
  return { watches: [], history: null, gold: null, items: new Array(uploads).fill(undefined), reviews: [], steps: [], retrains: [], trendScans: [], foreignTasks: 0, breaks: 0, phaseMs: {}, errors: [] };
}
