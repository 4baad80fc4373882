import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, doublePrecision, real, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import type { ContentKind, ContentStatus, ServingRole, SignalType } from '@loupe/vocabulary';

export const contents = pgTable(
  'contents',
  {
    id: id(),
    kind: text('kind').$type<ContentKind>().notNull(),
    status: text('status').$type<ContentStatus>().notNull().default('received'),
    mediaSha256: text('media_sha256').notNull(),
    mediaPath: text('media_path').notNull(),
    mediaFormat: text('media_format').notNull(),
    mediaBytes: bigint('media_bytes', { mode: 'number' }).notNull(),
    width: integer('width'),
    height: integer('height'),
    /**
     * A video's probe as its upload read it (frame size, rate, duration,
     * codec): the media job decodes by it, so a worker process does not run
     * ffprobe on the file a second time. Null for images and older rows.
     */
    mediaProbe: jsonb('media_probe').$type<Record<string, unknown>>(),
    caption: text('caption'),
    hashtags: text('hashtags').array().notNull().default(sql`'{}'::text[]`),
    creatorId: text('creator_id').notNull(),
    region: text('region').notNull(),
    language: text('language').notNull(),
    /** Reach, from the platform's view counts: the latest count and views per hour. */
    views: bigint('views', { mode: 'number' }).notNull().default(0),
    viewVelocity: doublePrecision('view_velocity').notNull().default(0),
    /** When the latest count was observed (null: none yet): the next count's velocity is measured from it. */
    viewsObservedAt: timestamp('views_observed_at', { withTimezone: true, mode: 'date' }),
    failureCode: text('failure_code'),
    failureReason: text('failure_reason'),
    /** How often the recovery sweep re-queued the item after its jobs were lost or ended without settling it. */
    recoveryAttempts: integer('recovery_attempts').notNull().default(0),
    /**
     * When the user posted it on the platform (the platform's clock, sent at
     * ingest; else when Loupe received it). Trends bucket items by it and the
     * DSA statement's content_date is it: a platform that sends its uploads
     * late or in batches still has them on the hour they were posted.
     */
    postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contents_status_idx').on(t.status, t.createdAt),
    // The recovery sweep's scan: only the few unfinished rows, oldest change first.
    index('contents_unfinished_idx').on(t.updatedAt).where(sql`${t.status} in ('received','processing')`),
    index('contents_media_sha256_idx').on(t.mediaSha256),
    // Trend scans read the items posted in a window of hours.
    index('contents_posted_at_idx').on(t.postedAt),
    check('contents_status_check', sql`${t.status} in ('received','processing','removed','in_review','allowed','failed')`),
  ],
);

/** Perceptual hashes of a content item; a video has one row per sampled frame. */
export const contentHashes = pgTable(
  'content_hashes',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    signalType: text('signal_type').$type<SignalType>().notNull(),
    hash: text('hash').notNull(),
    quality: integer('quality').notNull(),
    frameIndex: integer('frame_index'),
    timestampSeconds: doublePrecision('timestamp_seconds'),
    createdAt: createdAt(),
  },
  (t) => [index('content_hashes_content_idx').on(t.contentId)],
);

export const modelScores = pgTable(
  'model_scores',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    modelId: text('model_id').notNull(),
    modelVersion: text('model_version').notNull(),
    backend: text('backend').notNull(),
    /** Raw model outputs, e.g. {Porn: 0.91, Neutral: 0.02, ...}. */
    outputs: jsonb('outputs').$type<Record<string, number>>().notNull(),
    /** The outputs mapped through the policy catalog: {adult_nudity: 0.97}. */
    policyScores: jsonb('policy_scores').$type<Record<string, number>>().notNull(),
    /** Champion, shadow (scored beside, never acting) or canary (the challenger, deciding its share). */
    servingRole: text('serving_role').$type<ServingRole>().notNull().default('champion'),
    /** Whether these scores decided the item (a champion's scores beside a canary's do not). */
    acted: boolean('acted').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('model_scores_content_idx').on(t.contentId, t.createdAt),
    // One scoring per item and model version: a retried classify job must not add a second.
    uniqueIndex('model_scores_content_model_key').on(t.contentId, t.modelId, t.modelVersion),
  ],
);

/**
 * The backbone's features of an item, read from the pass that scored it:
 * one row per sampled frame of a video (frame_index), and the item's own
 * vector (frame_index null: an image's only one, a video's mean over its
 * frames). Both candidate layers are kept until the heads choose one.
 */
export const contentEmbeddings = pgTable(
  'content_embeddings',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    /** The backbone's id and version, e.g. nsfwjs-mobilenetv2@4.3.0. */
    backbone: text('backbone').notNull(),
    frameIndex: integer('frame_index'),
    /** Global average pool of the last convolution block (1280 wide). */
    pooled: real('pooled').array().notNull(),
    /** The first dense layer after it (256 wide). */
    dense: real('dense').array().notNull(),
    /** GeM pool of a middle block (576 wide): what the heads read. Null on rows stored before it existed. */
    midGem: real('mid_gem').array(),
    /**
     * A frame's row (frame_index set): the backbone's own class outputs on
     * that frame. A video's baseline scores are the most violating frame's
     * per policy, which the item's per-class maximum does not give (a policy
     * can sum classes), so a re-score from stored features needs each frame's.
     * Null on item rows and on frame rows stored before it existed.
     */
    outputs: jsonb('outputs').$type<Record<string, number>>(),
    createdAt: createdAt(),
  },
  // One vector per item, backbone and frame: a retried classify job must not add a second.
  (t) => [unique('content_embeddings_key').on(t.contentId, t.backbone, t.frameIndex).nullsNotDistinct()],
);
