import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';


/**
 * The process environment as Loupe reads it. Every variable is optional and
 * has a documented default (README, "Configuration"); this class only says what
 * a valid value looks like.
 */
export class EnvironmentDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString()
  HOST?: string;

  /**
   * A listener of its own for GET /metrics, without an API key: for a scraper on a private
   * network, and the only way a worker (no HTTP server) shows its metrics. Unset: no listener.
   */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  METRICS_PORT?: number;

  /** Where the METRICS_PORT listener binds; HOST by default. */
  @IsOptional() @IsString()
  METRICS_HOST?: string;

  @IsOptional() @IsString()
  DATA_DIR?: string;

  @IsOptional() @IsString()
  MEDIA_DIR?: string;

  @IsOptional() @IsString()
  MODELS_DIR?: string;

  @IsOptional() @Matches(/^(postgres|postgresql|pglite):\/\/.+/, {
    message: 'DATABASE_URL must start with postgres://, postgresql:// or pglite://',
  })
  DATABASE_URL?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  DATABASE_POOL_SIZE?: number;

  /** A file for the embedded database's pg_stat_statements table, written every 20 s and at shutdown (a diagnostic). */
  @IsOptional() @IsString() @MinLength(1)
  PGLITE_STATEMENT_STATS?: string;

  /**
   * The embedded database's buffer cache (PostgreSQL's shared_buffers), as
   * PostgreSQL writes it: 16MB, 1GB. Unset: the data directory's setting
   * (128MB from initdb). PGlite zeroes all of it at every start.
   */
  @IsOptional() @Matches(/^[1-9][0-9]*(kB|MB|GB)$/, { message: 'PGLITE_SHARED_BUFFERS must be a size such as 16MB or 1GB (kB, MB or GB)' })
  PGLITE_SHARED_BUFFERS?: string;

  @IsOptional() @Matches(/^(postgres|postgresql):\/\/.+/, {
    message: 'DATABASE_MIGRATION_URL must start with postgres:// or postgresql://',
  })
  DATABASE_MIGRATION_URL?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(600000)
  DATABASE_CONNECT_TIMEOUT_MS?: number;

  /** `false` sends every statement unnamed, for a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21). */
  @IsOptional() @IsIn(['true', 'false'])
  DATABASE_PREPARED_STATEMENTS?: 'true' | 'false';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(30 * 86400)
  IDEMPOTENCY_RETENTION_SECONDS?: number;

  @IsOptional() @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  @IsOptional() @IsString() @MinLength(32, { message: 'LOUPE_ADMIN_KEY must be at least 32 characters' })
  LOUPE_ADMIN_KEY?: string;

  @IsOptional() @IsIn(['all', 'api'])
  LOUPE_MODE?: 'all' | 'api';

  @IsOptional() @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, - and _' })
  QUEUE_PREFIX?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  JOB_CONCURRENCY?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  COMPUTE_THREADS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  INDEX_THREADS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(50) @Max(60000)
  INDEX_POLL_MS?: number;

  @IsOptional() @IsIn(['auto', 'wasm', 'tensorflow', 'cpu'])
  TFJS_BACKEND?: 'auto' | 'wasm' | 'tensorflow' | 'cpu';

  /** What runs the baseline backbone: its exported ONNX graph on onnxruntime, or the tfjs model. */
  @IsOptional() @IsIn(['onnxruntime', 'tfjs'])
  BACKBONE_RUNTIME?: 'onnxruntime' | 'tfjs';

  /** Where the backbone's exported graph is kept (made on first use): MODELS_DIR/backbone by default. */
  @IsOptional() @IsString()
  BACKBONE_ONNX_DIR?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  UPLOAD_MAX_BYTES?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  IMAGE_MAX_BYTES?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  IMAGE_MAX_PIXELS?: number;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(1)
  VIDEO_MAX_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(16) @Max(16384)
  VIDEO_MAX_DIMENSION?: number;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(120)
  VPDQ_FPS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  VIDEO_MODEL_FRAMES?: number;

  @IsOptional() @IsIn(['true', 'false'])
  VIDEO_SCORE_AHEAD?: 'true' | 'false';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  VIDEO_MAX_FRAMES?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000)
  SYNC_HASH_MAX_FRAMES?: number;

  @IsOptional() @IsString()
  FFMPEG_PATH?: string;

  @IsOptional() @IsString()
  FFPROBE_PATH?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(16) @Max(65535)
  IMAGE_MAX_DIMENSION?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(86400)
  REVIEW_LEASE_SECONDS?: number;

  /** How long a process trusts a verified API key before looking it up again; 0 looks up every request. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60)
  AUTH_CACHE_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  SLA_SWEEP_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  EXPOSURE_HOURLY_LIMIT?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  EXPOSURE_SHIFT_LIMIT?: number;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(1) @Max(24)
  SHIFT_HOURS?: number;

  @IsOptional() @IsIn(['low_severity', 'break'])
  EXPOSURE_ACTION?: 'low_severity' | 'break';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(240)
  BREAK_MINUTES?: number;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(0.5)
  CONSENSUS_UNCERTAINTY?: number;

  /** The share of items the model allows that also go to human review as a quality sample; 0 turns it off. */
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  REVIEW_SAMPLE_RATE?: number;

  /**
   * Virality tiers: views per hour, each with what crossing it does, e.g.
   * `1000:rescore,10000:review,100000:review`. Every tier re-scores the item
   * with the champion and re-matches it; `review` also sends it to humans.
   */
  @IsOptional() @IsString()
  VIRALITY_TIERS?: string;

  /** View events per call of POST /v1/views; a larger batch gets 413. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000)
  VIEWS_BATCH_MAX?: number;

  /** Retro-hunts look back this many days over allowed content. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365)
  RETRO_HUNT_DAYS?: number;

  /** Start a retro-hunt on its own when a bank gains entries / when a model is promoted. */
  @IsOptional() @IsIn(['true', 'false'])
  RETRO_HUNT_ON_BANK_CHANGE?: 'true' | 'false';

  @IsOptional() @IsIn(['true', 'false'])
  RETRO_HUNT_ON_PROMOTION?: 'true' | 'false';

  /** The least time between two bank-triggered hunts of one bank: each reads every allowed item of the window. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(7 * 86400)
  RETRO_HUNT_BANK_INTERVAL_SECONDS?: number;

  /** A model's retro-hunt also sends to review what the new model would review (default: it only removes). */
  @IsOptional() @IsIn(['true', 'false'])
  RETRO_HUNT_MODEL_REVIEW?: 'true' | 'false';

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  GOLD_PASS_RATE?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  GOLD_WINDOW?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  PREVIEW_BLUR?: number;

  @IsOptional() @IsIn(['true', 'false'])
  PREVIEW_GREYSCALE?: 'true' | 'false';

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  PDQ_QUALITY_FLOOR?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(256)
  PDQ_MATCH_DISTANCE?: number;

  @IsOptional() @IsString()
  POLICY_CATALOG?: string;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL?: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  SHUTDOWN_GRACE_SECONDS?: number;

  @IsOptional() @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE?: 'true' | 'false';

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(30000)
  WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(25)
  WEBHOOK_MAX_ATTEMPTS?: number;

  /** How often every process that classifies checks for a promotion, rollback or deployment change. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(60000)
  MODEL_POLL_MS?: number;

  /** Labels of each class a policy needs before it gets a head. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(2) @Max(100000)
  TRAINING_MIN_LABELS?: number;

  /** How often the queue runs the check of the count of new labels (a schedule of the queue, one job per interval for all the workers). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  TRAINING_CHECK_SECONDS?: number;

  /** When training runs on its own: a five-field cron expression in UTC, or `off`. */
  @IsOptional() @IsString()
  TRAINING_CRON?: string;

  /** When the emerging-trend scan runs: a five-field cron expression in UTC (default: 2 minutes past each hour), or `off`. */
  @IsOptional() @IsString()
  TREND_SCAN_CRON?: string;

  /** New labels since the last successful run that start a run of their own; 0 turns it off. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10000000)
  TRAINING_NEW_LABELS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(86_400_000)
  WEBHOOK_RETRY_BASE_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  WEBHOOK_SWEEP_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  WEBHOOK_RETENTION_DAYS?: number;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0.5) @Max(86400)
  RECOVERY_SWEEP_SECONDS?: number;
}
