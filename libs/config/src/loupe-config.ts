import { availableParallelism } from 'node:os';
import path from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parseCron, PROJECT_ROOT } from '@loupe/common';
import { EnvironmentDto } from './environment.dto';

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      /** The role that owns the schema and migrates it; null: the role of `url` does. */
      migrationUrl: string | null;
      /** How long a request waits for a connection before it gets a 503. */
      connectTimeoutMs: number;
      /** Repeated statements go as named prepared statements (off behind a pooler that cannot keep them, such as PgBouncer in transaction mode). */
      preparedStatements: boolean;
    }
  | {
      kind: 'pglite';
      dataDir: string | null /* null: in memory */;
      /** PGLITE_STATEMENT_STATS: a file for pg_stat_statements' table (a diagnostic); null: none. */
      statementStatsFile: string | null;
      /** PGLITE_SHARED_BUFFERS: PostgreSQL's shared_buffers for this run; null: the data directory's (128MB). */
      sharedBuffers: string | null;
    };

export type QueueTarget = { kind: 'redis'; url: string; prefix: string } | { kind: 'in-process' };

export class ConfigError extends Error {}

/** TRAINING_CRON, checked at boot: daily at 02:00 UTC unless set; `off` turns scheduled training off. */
function trainingCron(value: string | undefined): string | null {
  const expression = value?.trim() || '0 2 * * *';
  if (expression === 'off') return null;
  try {
    parseCron(expression);
  } catch (error) {
    throw new ConfigError(`Invalid environment:\n  TRAINING_CRON: ${(error as Error).message}`);
  }
  return expression;
}

export interface ViralityTier {
  viewsPerHour: number;
  action: 'rescore' | 'review';
}

function viralityTiers(value: string | undefined): ViralityTier[] {
  const text = value?.trim() || '1000:rescore,10000:review,100000:review';
  const tiers = text.split(',').map((part) => {
    const [rate, action = 'review'] = part.trim().split(':');
    const viewsPerHour = Number(rate);
    if (!Number.isInteger(viewsPerHour) || viewsPerHour < 1 || (action !== 'rescore' && action !== 'review')) {
      throw new ConfigError(`Invalid environment:\n  VIRALITY_TIERS: "${part.trim()}" is not <views per hour>:<rescore|review>`);
    }
    return { viewsPerHour, action: action as ViralityTier['action'] };
  });
  tiers.sort((a, b) => a.viewsPerHour - b.viewsPerHour);
  if (new Set(tiers.map((t) => t.viewsPerHour)).size !== tiers.length) throw new ConfigError('Invalid environment:\n  VIRALITY_TIERS: a tier is given twice');
  return tiers;
}

/** TREND_SCAN_CRON, checked at boot: 2 minutes past each hour unless set (the hour just ended is then complete); `off` turns it off. */
function trendScanCron(value: string | undefined): string | null {
  const expression = value?.trim() || '2 * * * *';
  if (expression === 'off') return null;
  try {
    parseCron(expression);
  } catch (error) {
    throw new ConfigError(`Invalid environment:\n  TREND_SCAN_CRON: ${(error as Error).message}`);
  }
  return expression;
}

// Their values are secrets, or may hold one (a password in a URL): an error names them, never quotes them.
const SECRET_VARIABLES = new Set(['LOUPE_ADMIN_KEY', 'DATABASE_URL', 'DATABASE_MIGRATION_URL', 'REDIS_URL']);

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => (SECRET_VARIABLES.has(e.property) ? m : `${m} (got ${JSON.stringify(e.value)})`)),
  );
}

const SIZE_UNITS: Record<string, number> = { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** A size as PostgreSQL writes it (the DTO checked its form), within what PGlite can start with. */
function sharedBuffersInRange(size: string): boolean {
  const [, amount, unit] = /^(\d+)(kB|MB|GB)$/.exec(size)!;
  const bytes = Number(amount) * SIZE_UNITS[unit];
  return bytes >= 128 * 1024 && bytes <= 1024 ** 3;
}

function resolveDatabase(dto: EnvironmentDto, dataDir: string): DatabaseTarget {
  const url = dto.DATABASE_URL;
  const statementStatsFile = dto.PGLITE_STATEMENT_STATS ? path.resolve(dto.PGLITE_STATEMENT_STATS) : null;
  const sharedBuffers = dto.PGLITE_SHARED_BUFFERS ?? null;
  if (sharedBuffers && !sharedBuffersInRange(sharedBuffers)) {
    // Below PostgreSQL's minimum, or more than PGlite's 32-bit WebAssembly memory can hold beside the rest.
    throw new ConfigError(`Invalid environment:\n  PGLITE_SHARED_BUFFERS must be between 128kB and 1GB (got ${JSON.stringify(sharedBuffers)})`);
  }
  if (!url?.startsWith('postgres') && dto.DATABASE_MIGRATION_URL) {
    // Roles are a PostgreSQL matter: the embedded database has one user, so the split would protect nothing.
    throw new ConfigError('Invalid environment:\n  DATABASE_MIGRATION_URL needs DATABASE_URL to be a postgres:// URL');
  }
  if (url?.startsWith('postgres') && statementStatsFile) {
    throw new ConfigError('Invalid environment:\n  PGLITE_STATEMENT_STATS is for the embedded database; on PostgreSQL, use its own pg_stat_statements');
  }
  if (url?.startsWith('postgres') && sharedBuffers) {
    throw new ConfigError("Invalid environment:\n  PGLITE_SHARED_BUFFERS is for the embedded database; on PostgreSQL, set shared_buffers in the server's own configuration");
  }
  if (!url) return { kind: 'pglite', dataDir: path.join(dataDir, 'db'), statementStatsFile, sharedBuffers };
  if (url.startsWith('pglite://')) {
    const location = url.slice('pglite://'.length);
    return { kind: 'pglite', dataDir: location === 'memory' ? null : path.resolve(location), statementStatsFile, sharedBuffers };
  }
  return {
    kind: 'postgres',
    url,
    poolSize: dto.DATABASE_POOL_SIZE ?? 10,
    migrationUrl: dto.DATABASE_MIGRATION_URL ?? null,
    connectTimeoutMs: dto.DATABASE_CONNECT_TIMEOUT_MS ?? 5000,
    preparedStatements: dto.DATABASE_PREPARED_STATEMENTS !== 'false',
  };
}

/**
 * The validated, typed configuration. It is built once per process from the
 * environment (see `LoupeConfig.fromEnv`), and nothing else reads process.env.
 */
export class LoupeConfig {
  readonly http!: { host: string; port: number; uploadMaxBytes: number };
  /** The unauthenticated /metrics listener; port null: none (the api still serves the protected route). */
  readonly metrics!: { port: number | null; host: string };
  readonly process!: { mode: 'all' | 'api' | 'worker' | 'cli'; shutdownGraceMs: number };
  readonly storage!: { dataDir: string; mediaDir: string; datasetsDir: string; modelsDir: string };
  readonly database!: DatabaseTarget;
  /** How long an Idempotency-Key's first response is kept for replay. */
  readonly idempotency!: { retentionSeconds: number };
  readonly queue!: QueueTarget & { concurrency: number };
  readonly auth!: { adminKey: string | null; adminKeyFile: string; cacheSeconds: number };
  readonly media!: { maxPixels: number; maxDimension: number; maxImageBytes: number };
  readonly video!: {
    maxSeconds: number;
    maxDimension: number;
    /** Decoded frames of a video or an animated image. */
    maxFrames: number;
    vpdqFps: number;
    modelFrames: number;
    /** Score a video's model inputs while its media job decodes it, for a classify job in the same process. */
    scoreAhead: boolean;
    /** Frames hashed inside one HTTP request (the hashes and banks APIs). */
    syncHashMaxFrames: number;
    /** The programs, by name on PATH or by path. */
    ffmpegPath: string;
    ffprobePath: string;
  };
  readonly compute!: { threads: number; tfjsBackend: 'auto' | 'wasm' | 'tensorflow' | 'cpu'; backboneRuntime: 'onnxruntime' | 'tfjs'; backboneOnnxDir: string };
  readonly hashing!: { qualityFloor: number; matchDistance: number };
  readonly index!: { threads: number; pollMs: number };
  readonly review!: {
    leaseSeconds: number;
    slaSweepSeconds: number;
    consensusUncertainty: number;
    goldPassRate: number;
    goldWindow: number;
    /** The share of model-allowed items also sent to review as a quality sample, in [0, 1]. */
    sampleRate: number;
  };
  readonly wellbeing!: {
    hourlyLimit: number;
    shiftLimit: number;
    shiftHours: number;
    action: 'low_severity' | 'break';
    breakMinutes: number;
    previewBlur: number;
    previewGreyscale: boolean;
  };
  readonly policy!: { catalogFile: string };
  readonly analysis!: {
    /** Ascending by views per hour. */
    viralityTiers: ViralityTier[];
    viewsBatchMax: number;
    retroHuntDays: number;
    retroHuntOnBankChange: boolean;
    /** The least time between two hunts that one bank's new entries start. */
    retroHuntBankIntervalMs: number;
    retroHuntOnPromotion: boolean;
    /** A model hunt sends its review band to review too; false: it acts only where it removes. */
    retroHuntModelReview: boolean;
  };
  readonly trends!: { scanCron: string | null };
  readonly learning!: { modelPollMs: number; minLabelsPerClass: number; newLabelsTrigger: number; cron: string | null; checkMs: number };
  readonly webhooks!: {
    /** Deliver to loopback, private and link-local addresses too (tests, internal receivers). */
    allowPrivate: boolean;
    timeoutMs: number;
    /** Tries per delivery, the first included; the n-th retry waits retryBaseMs × 2^(n-1). */
    maxAttempts: number;
    retryBaseMs: number;
    sweepMs: number;
    /** Events whose every delivery succeeded are deleted after this; dead letters stay until replayed. */
    retentionDays: number;
  };
  /** The sweep that re-queues work whose jobs were lost or ended without finishing it. */
  readonly recovery!: { sweepMs: number };
  readonly logLevel!: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

  /** The Nest logger levels at and above LOG_LEVEL. */
  get logLevels(): LoupeConfig['logLevel'][] {
    const levels: LoupeConfig['logLevel'][] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
    return levels.slice(0, levels.indexOf(this.logLevel) + 1);
  }

  /** Whether this process runs the job handlers and the periodic sweeps (the all-in-one server and workers). */
  get runsJobs(): boolean {
    return this.process.mode === 'all' || this.process.mode === 'worker';
  }

  private constructor(values: Omit<LoupeConfig, 'logLevels' | 'runsJobs'>) {
    Object.assign(this, values);
  }

  /**
   * @param env variables as strings (process.env in the entry points)
   * @param mode which process this is; the entry points decide it, except that
   *   LOUPE_MODE=api turns the all-in-one server into an api-only process
   */
  static fromEnv(env: Record<string, string | undefined>, mode: 'server' | 'worker' | 'cli' = 'server'): LoupeConfig {
    // An empty variable means "use the default", as it does in most shells' tooling.
    const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
    const dto = plainToInstance(EnvironmentDto, present);
    const errors = validateSync(dto, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) {
      throw new ConfigError(`Invalid environment:\n  ${describe(errors).join('\n  ')}`);
    }
    const dataDir = path.resolve(dto.DATA_DIR ?? './data');
    const cores = availableParallelism();
    return new LoupeConfig({
      http: {
        host: dto.HOST ?? '127.0.0.1',
        port: dto.PORT ?? 3000,
        uploadMaxBytes: dto.UPLOAD_MAX_BYTES ?? 200 * 1024 * 1024,
      },
      metrics: { port: dto.METRICS_PORT ?? null, host: dto.METRICS_HOST ?? dto.HOST ?? '127.0.0.1' },
      process: {
        mode: mode === 'server' ? (dto.LOUPE_MODE ?? 'all') : mode,
        shutdownGraceMs: (dto.SHUTDOWN_GRACE_SECONDS ?? 10) * 1000,
      },
      storage: { dataDir, mediaDir: path.resolve(dto.MEDIA_DIR ?? path.join(dataDir, 'media')), datasetsDir: path.join(dataDir, 'datasets'), modelsDir: path.resolve(dto.MODELS_DIR ?? path.join(dataDir, 'models')) },
      database: resolveDatabase(dto, dataDir),
      idempotency: { retentionSeconds: dto.IDEMPOTENCY_RETENTION_SECONDS ?? 86_400 },
      queue: {
        ...(dto.REDIS_URL
          ? { kind: 'redis' as const, url: dto.REDIS_URL, prefix: dto.QUEUE_PREFIX ?? 'loupe' }
          : { kind: 'in-process' as const }),
        // 3, not 2: on 2 cores a third job per queue keeps them busy while the others wait on a thread or the
        // database (docs/decisions.md, "Three jobs per queue by default").
        concurrency: dto.JOB_CONCURRENCY ?? 3,
      },
      auth: { adminKey: dto.LOUPE_ADMIN_KEY ?? null, adminKeyFile: path.join(dataDir, 'admin.key'), cacheSeconds: dto.AUTH_CACHE_SECONDS ?? 5 },
      media: {
        maxPixels: dto.IMAGE_MAX_PIXELS ?? 50_000_000,
        maxDimension: dto.IMAGE_MAX_DIMENSION ?? 16_384,
        maxImageBytes: dto.IMAGE_MAX_BYTES ?? 50 * 1024 * 1024,
      },
      video: {
        maxSeconds: dto.VIDEO_MAX_SECONDS ?? 600,
        maxDimension: dto.VIDEO_MAX_DIMENSION ?? 4096,
        maxFrames: dto.VIDEO_MAX_FRAMES ?? 36_000,
        vpdqFps: dto.VPDQ_FPS ?? 1,
        modelFrames: dto.VIDEO_MODEL_FRAMES ?? 8,
        scoreAhead: (dto.VIDEO_SCORE_AHEAD ?? 'true') === 'true',
        syncHashMaxFrames: dto.SYNC_HASH_MAX_FRAMES ?? 1000,
        ffmpegPath: dto.FFMPEG_PATH ?? 'ffmpeg',
        ffprobePath: dto.FFPROBE_PATH ?? 'ffprobe',
      },
      compute: {
        threads: dto.COMPUTE_THREADS ?? Math.max(1, Math.min(4, cores - 1)),
        tfjsBackend: dto.TFJS_BACKEND ?? 'auto',
        backboneRuntime: dto.BACKBONE_RUNTIME ?? 'onnxruntime',
        backboneOnnxDir: path.resolve(dto.BACKBONE_ONNX_DIR ?? path.join(dto.MODELS_DIR ?? path.join(dataDir, 'models'), 'backbone')),
      },
      hashing: { qualityFloor: dto.PDQ_QUALITY_FLOOR ?? 50, matchDistance: dto.PDQ_MATCH_DISTANCE ?? 31 },
      index: { threads: dto.INDEX_THREADS ?? Math.max(1, Math.min(4, cores)), pollMs: dto.INDEX_POLL_MS ?? 1000 },
      review: {
        leaseSeconds: dto.REVIEW_LEASE_SECONDS ?? 300,
        slaSweepSeconds: dto.SLA_SWEEP_SECONDS ?? 30,
        consensusUncertainty: dto.CONSENSUS_UNCERTAINTY ?? 0.1,
        goldPassRate: dto.GOLD_PASS_RATE ?? 0.8,
        goldWindow: dto.GOLD_WINDOW ?? 20,
        sampleRate: dto.REVIEW_SAMPLE_RATE ?? 0,
      },
      wellbeing: {
        hourlyLimit: dto.EXPOSURE_HOURLY_LIMIT ?? 15,
        shiftLimit: dto.EXPOSURE_SHIFT_LIMIT ?? 60,
        shiftHours: dto.SHIFT_HOURS ?? 8,
        action: dto.EXPOSURE_ACTION ?? 'low_severity',
        breakMinutes: dto.BREAK_MINUTES ?? 15,
        previewBlur: dto.PREVIEW_BLUR ?? 60,
        previewGreyscale: (dto.PREVIEW_GREYSCALE ?? 'true') === 'true',
      },
      recovery: { sweepMs: Math.round((dto.RECOVERY_SWEEP_SECONDS ?? 60) * 1000) },
      policy: { catalogFile: path.resolve(PROJECT_ROOT, dto.POLICY_CATALOG ?? 'config/policy-catalog.yaml') },
      analysis: {
        viralityTiers: viralityTiers(dto.VIRALITY_TIERS),
        viewsBatchMax: dto.VIEWS_BATCH_MAX ?? 10_000,
        retroHuntDays: dto.RETRO_HUNT_DAYS ?? 7,
        retroHuntOnBankChange: dto.RETRO_HUNT_ON_BANK_CHANGE !== 'false',
        retroHuntBankIntervalMs: (dto.RETRO_HUNT_BANK_INTERVAL_SECONDS ?? 600) * 1000,
        retroHuntOnPromotion: dto.RETRO_HUNT_ON_PROMOTION !== 'false',
        retroHuntModelReview: dto.RETRO_HUNT_MODEL_REVIEW === 'true',
      },
      trends: { scanCron: trendScanCron(dto.TREND_SCAN_CRON) },
      learning: {
        modelPollMs: dto.MODEL_POLL_MS ?? 2000,
        minLabelsPerClass: dto.TRAINING_MIN_LABELS ?? 30,
        newLabelsTrigger: dto.TRAINING_NEW_LABELS ?? 500,
        cron: trainingCron(dto.TRAINING_CRON),
        checkMs: (dto.TRAINING_CHECK_SECONDS ?? 30) * 1000,
      },
      webhooks: {
        allowPrivate: (dto.WEBHOOK_ALLOW_PRIVATE ?? 'false') === 'true',
        timeoutMs: dto.WEBHOOK_TIMEOUT_MS ?? 5000,
        // 8 tries, 3 minutes doubling: the last retry comes about 6 hours and 21 minutes after the first try.
        maxAttempts: dto.WEBHOOK_MAX_ATTEMPTS ?? 8,
        retryBaseMs: dto.WEBHOOK_RETRY_BASE_MS ?? 180_000,
        sweepMs: (dto.WEBHOOK_SWEEP_SECONDS ?? 30) * 1000,
        retentionDays: dto.WEBHOOK_RETENTION_DAYS ?? 30,
      },
      logLevel: dto.LOG_LEVEL ?? 'log',
    });
  }
}
