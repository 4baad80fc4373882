import path from 'node:path';
import { ConfigError, LoupeConfig } from './loupe-config';

describe('LoupeConfig.fromEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = LoupeConfig.fromEnv({});
    expect(config.http.port).toBe(3000);
    expect(config.storage.dataDir).toBe(path.resolve('data'));
    expect(config.storage.mediaDir).toBe(path.resolve('data/media'));
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data/db') });
    expect(config.queue.kind).toBe('in-process');
    expect(config.process.mode).toBe('all');
    expect(config.auth.adminKey).toBeNull();
  });

  it('selects Postgres and Redis from their URLs', () => {
    const config = LoupeConfig.fromEnv({
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'ci',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://127.0.0.1:5432/test', poolSize: 10 });
    expect(config.queue).toMatchObject({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'ci' });
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_POOL_SIZE: '25' }).database).toMatchObject({ poolSize: 25 });
    expect(() => LoupeConfig.fromEnv({ DATABASE_URL: 'postgres://db/loupe', DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('keeps an embedded database in memory for pglite://memory', () => {
    expect(LoupeConfig.fromEnv({ DATABASE_URL: 'pglite://memory' }).database).toEqual({ kind: 'pglite', dataDir: null });
  });

  it('treats empty strings as unset', () => {
    expect(LoupeConfig.fromEnv({ PORT: '', REDIS_URL: ' ' }).http.port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['LOUPE_ADMIN_KEY', 'short'],
    ['LOUPE_MODE', 'both'],
    ['REVIEW_LEASE_SECONDS', '-1'],
  ])('fails with a message naming %s when it is %p', (name, value) => {
    expect(() => LoupeConfig.fromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => LoupeConfig.fromEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('reads the video limits and the ffmpeg programs', () => {
    expect(LoupeConfig.fromEnv({}).video).toMatchObject({ maxFrames: 36_000, syncHashMaxFrames: 1000, ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
    const config = LoupeConfig.fromEnv({ VIDEO_MAX_FRAMES: '500', SYNC_HASH_MAX_FRAMES: '50', FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/ff/ffprobe' });
    expect(config.video).toMatchObject({ maxFrames: 500, syncHashMaxFrames: 50, ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: '/opt/ff/ffprobe' });
    expect(() => LoupeConfig.fromEnv({ SYNC_HASH_MAX_FRAMES: '0' })).toThrow(/SYNC_HASH_MAX_FRAMES/);
    expect(() => LoupeConfig.fromEnv({ VIDEO_MAX_FRAMES: 'many' })).toThrow(/VIDEO_MAX_FRAMES/);
  });

  it('lets the entry point fix the process mode', () => {
    expect(LoupeConfig.fromEnv({ LOUPE_MODE: 'api' }).process.mode).toBe('api');
    expect(LoupeConfig.fromEnv({ LOUPE_MODE: 'api' }, 'worker').process.mode).toBe('worker');
  });
});
