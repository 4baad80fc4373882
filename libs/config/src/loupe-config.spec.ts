import path from 'node:path';
import { ConfigError, LoupeConfig } from './loupe-config';

describe('LoupeConfig.fromEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = LoupeConfig.fromEnv({});
    expect(config.http.port).toBe(3000);
    expect(config.storage.dataDir).toBe(path.resolve('data'));
    expect(config.storage.mediaDir).toBe(path.resolve('data/media'));
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data/db'), statementStatsFile: null, sharedBuffers: null });
    expect(config.queue.kind).toBe('in-process');
    expect(config.process.mode).toBe('all');
    expect(config.auth.adminKey).toBeNull();
    expect(config.recovery.sweepMs).toBe(60_000);
  });

  it('opens no metrics listener unless METRICS_PORT is set, and binds it to HOST unless METRICS_HOST says otherwise', () => {
    expect(LoupeConfig.fromEnv({}).metrics).toEqual({ port: null, host: '127.0.0.1' });
    expect(LoupeConfig.fromEnv({ METRICS_PORT: '9464', HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(LoupeConfig.fromEnv({ METRICS_PORT: '9464', HOST: '0.0.0.0', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9464, host: '10.0.0.5' });
  });

  it('keeps pg_stat_statements on the embedded database only when PGLITE_STATEMENT_STATS names a file, and refuses it on PostgreSQL', () => {
    expect(LoupeConfig.fromEnv({ PGLITE_STATEMENT_STATS: 'stats.json' }).database).toMatchObject({ kind: 'pglite', statementStatsFile: path.resolve('stats.json') });
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'pglite://memory', PGLITE_STATEMENT_STATS: '/tmp/s.json' }).database).toEqual({ kind: 'pglite', dataDir: null, statementStatsFile: '/tmp/s.json', sharedBuffers: null });
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', PGLITE_STATEMENT_STATS: '/tmp/s.json' })).toThrow(/PGLITE_STATEMENT_STATS/);
  });

  it('takes a buffer cache size for the embedded database only, written as PostgreSQL writes it', () => {
    expect(LoupeConfig.fromEnv({ PGLITE_SHARED_BUFFERS: '16MB' }).database).toMatchObject({ kind: 'pglite', sharedBuffers: '16MB' });
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'pglite://memory', PGLITE_SHARED_BUFFERS: '1GB' }).database).toMatchObject({ sharedBuffers: '1GB' });
    expect(() => LoupeConfig.fromEnv({ PGLITE_SHARED_BUFFERS: '16' })).toThrow(/PGLITE_SHARED_BUFFERS must be a size/);
    expect(() => LoupeConfig.fromEnv({ PGLITE_SHARED_BUFFERS: '16MB; drop table x' })).toThrow(/PGLITE_SHARED_BUFFERS/);
    expect(LoupeConfig.fromEnv({ PGLITE_SHARED_BUFFERS: '128kB' }).database).toMatchObject({ sharedBuffers: '128kB' });
    expect(() => LoupeConfig.fromEnv({ PGLITE_SHARED_BUFFERS: '64kB' })).toThrow(/between 128kB and 1GB/);
    expect(() => LoupeConfig.fromEnv({ PGLITE_SHARED_BUFFERS: '2GB' })).toThrow(/between 128kB and 1GB/);
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', PGLITE_SHARED_BUFFERS: '16MB' })).toThrow(/PGLITE_SHARED_BUFFERS is for the embedded database/);
  });

  it('reads the recovery sweep interval in seconds', () => {
    expect(LoupeConfig.fromEnv({ RECOVERY_SWEEP_SECONDS: '2.5' }).recovery.sweepMs).toBe(2500);
  });

  it('selects Postgres and Redis from their URLs', () => {
    const config = LoupeConfig.fromEnv({
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'ci',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://127.0.0.1:5432/test', poolSize: 10, migrationUrl: null, connectTimeoutMs: 5000, preparedStatements: true });
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({ preparedStatements: false });
    expect(config.queue).toMatchObject({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'ci' });
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_POOL_SIZE: '25' }).database).toMatchObject({ poolSize: 25 });
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_CONNECT_TIMEOUT_MS: '1500' }).database).toMatchObject({ connectTimeoutMs: 1500 });
    expect(() => LoupeConfig.fromEnv({ DATABASE_CONNECT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
  });

  it('keeps idempotency keys for IDEMPOTENCY_RETENTION_SECONDS, a day by default', () => {
    expect(LoupeConfig.fromEnv({}).idempotency.retentionSeconds).toBe(86_400);
    expect(LoupeConfig.fromEnv({ IDEMPOTENCY_RETENTION_SECONDS: '60' }).idempotency.retentionSeconds).toBe(60);
    expect(() => LoupeConfig.fromEnv({ IDEMPOTENCY_RETENTION_SECONDS: '0' })).toThrow(/IDEMPOTENCY_RETENTION_SECONDS/);
  });

  it('migrates with DATABASE_MIGRATION_URL when it is set, on PostgreSQL only', () => {
    const env = { DATABASE_URL: 'postgres://loupe@db/loupe', DATABASE_MIGRATION_URL: 'postgres://loupe_owner@db/loupe' };
    expect(LoupeConfig.fromEnv(env).database).toMatchObject({ kind: 'postgres', url: env.DATABASE_URL, migrationUrl: env.DATABASE_MIGRATION_URL });
    expect(() => LoupeConfig.fromEnv({ DATABASE_MIGRATION_URL: env.DATABASE_MIGRATION_URL })).toThrow(/DATABASE_MIGRATION_URL needs DATABASE_URL/);
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'pglite://memory', DATABASE_MIGRATION_URL: env.DATABASE_MIGRATION_URL })).toThrow(ConfigError);
    expect(() => LoupeConfig.fromEnv({ ...env, DATABASE_MIGRATION_URL: 'mysql://x' })).toThrow(/DATABASE_MIGRATION_URL must start/);
  });

  it('samples no allowed items for review unless REVIEW_SAMPLE_RATE, a share in [0, 1], says so', () => {
    expect(LoupeConfig.fromEnv({}).review.sampleRate).toBe(0);
    expect(LoupeConfig.fromEnv({ REVIEW_SAMPLE_RATE: '0.02' }).review.sampleRate).toBe(0.02);
    expect(() => LoupeConfig.fromEnv({ REVIEW_SAMPLE_RATE: '1.5' })).toThrow(/REVIEW_SAMPLE_RATE/);
    expect(() => LoupeConfig.fromEnv({ REVIEW_SAMPLE_RATE: '-0.1' })).toThrow(/REVIEW_SAMPLE_RATE/);
    expect(() => LoupeConfig.fromEnv({ REVIEW_SAMPLE_RATE: 'some' })).toThrow(/REVIEW_SAMPLE_RATE/);
  });

  it('keeps an embedded database in memory for pglite://memory', () => {
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'pglite://memory' }).database).toEqual({ kind: 'pglite', dataDir: null, statementStatsFile: null, sharedBuffers: null });
  });

  it('treats empty strings as unset', () => {
    expect(LoupeConfig.fromEnv({ PORT: '', REDIS_URL: ' ' }).http.port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['METRICS_PORT', '70000'],
    ['METRICS_PORT', 'nine'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['LOUPE_ADMIN_KEY', 'short'],
    ['LOUPE_ADMIN_KEY', 'a'.repeat(31)],
    ['LOUPE_MODE', 'both'],
    ['REVIEW_LEASE_SECONDS', '-1'],
    ['WEBHOOK_ALLOW_PRIVATE', 'yes'],
    ['WEBHOOK_TIMEOUT_MS', '60001'],
    ['WEBHOOK_MAX_ATTEMPTS', '0'],
    ['WEBHOOK_RETRY_BASE_MS', '1'],
    ['WEBHOOK_SWEEP_SECONDS', '0'],
    ['RECOVERY_SWEEP_SECONDS', '0'],
  ])('fails with a message naming %s when it is %p', (name, value) => {
    expect(() => LoupeConfig.fromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => LoupeConfig.fromEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('never quotes a secret it refuses', () => {
    expect(() => LoupeConfig.fromEnv({ LOUPE_ADMIN_KEY: 'hunter2-secret' })).toThrow(/LOUPE_ADMIN_KEY/);
    expect(() => LoupeConfig.fromEnv({ LOUPE_ADMIN_KEY: 'hunter2-secret' })).not.toThrow(/hunter2/);
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'mysql://loupe:hunter2@db/loupe' })).not.toThrow(/hunter2/);
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_MIGRATION_URL: 'mysql://owner:hunter2@db/loupe' })).not.toThrow(/hunter2/);
  });

  it('accepts an admin key of 32 characters', () => {
    expect(LoupeConfig.fromEnv({ LOUPE_ADMIN_KEY: 'a'.repeat(32) }).auth.adminKey).toBe('a'.repeat(32));
  });

  it('refuses private webhook targets and retries for hours unless told otherwise', () => {
    expect(LoupeConfig.fromEnv({}).webhooks).toEqual({ allowPrivate: false, timeoutMs: 5000, maxAttempts: 8, retryBaseMs: 180_000, sweepMs: 30_000, retentionDays: 30 });
    const test = LoupeConfig.fromEnv({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_SWEEP_SECONDS: '2' });
    expect(test.webhooks).toEqual({ allowPrivate: true, timeoutMs: 1000, maxAttempts: 3, retryBaseMs: 50, sweepMs: 2000, retentionDays: 30 });
  });

  it('reads the video limits and the ffmpeg programs', () => {
    expect(LoupeConfig.fromEnv({}).video).toMatchObject({ maxFrames: 36_000, syncHashMaxFrames: 1000, ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const config = LoupeConfig.fromEnv({ VIDEO_MAX_FRAMES: '500', SYNC_HASH_MAX_FRAMES: '50', FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/ff/ffprobe' });
    expect(config.video).toMatchObject({ maxFrames: 500, syncHashMaxFrames: 50, ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: '/opt/ff/ffprobe' });
    expect(() => LoupeConfig.fromEnv({ SYNC_HASH_MAX_FRAMES: '0' })).toThrow(/SYNC_HASH_MAX_FRAMES/);
    expect(() => LoupeConfig.fromEnv({ VIDEO_MAX_FRAMES: 'many' })).toThrow(/VIDEO_MAX_FRAMES/);
  });

  it('scores videos during their decode unless VIDEO_SCORE_AHEAD is false', () => {
    expect(LoupeConfig.fromEnv({}).video.scoreAhead).toBe(true);
    expect(LoupeConfig.fromEnv({ VIDEO_SCORE_AHEAD: 'false' }).video.scoreAhead).toBe(false);
    expect(() => LoupeConfig.fromEnv({ VIDEO_SCORE_AHEAD: 'no' })).toThrow(/VIDEO_SCORE_AHEAD/);
  });

  it('lets the entry point fix the process mode', () => {
    expect(LoupeConfig.fromEnv({ LOUPE_MODE: 'api' }).process.mode).toBe('api');
    expect(LoupeConfig.fromEnv({ LOUPE_MODE: 'api' }, 'worker').process.mode).toBe('worker');
  });
  it('runs jobs and sweeps in the all-in-one server and in workers only', () => {
    expect(LoupeConfig.fromEnv({}).runsJobs).toBe(true);
    expect(LoupeConfig.fromEnv({ LOUPE_MODE: 'api', REDIS_URL: 'redis://127.0.0.1:6379' }).runsJobs).toBe(false);
    expect(LoupeConfig.fromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' }, 'worker').runsJobs).toBe(true);
    expect(LoupeConfig.fromEnv({}, 'cli').runsJobs).toBe(false);
  });
});
