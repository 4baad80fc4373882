import { redisConnectionFromUrl } from './redis-connection';

describe('redisConnectionFromUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(redisConnectionFromUrl('redis://user:p%40ss@cache.internal:6380/3')).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
    });
  });

  it('defaults the port and database, and turns on TLS for rediss', () => {
    expect(redisConnectionFromUrl('rediss://127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, tls: {} });
  });

  it('lets workers retry forever, as BullMQ requires, but makes producers fail fast', () => {
    expect(redisConnectionFromUrl('redis://127.0.0.1', 'worker')).toMatchObject({ maxRetriesPerRequest: null });
    const producer = redisConnectionFromUrl('redis://127.0.0.1', 'producer') as Record<string, unknown>;
    expect(producer).toMatchObject({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
    expect(producer.commandTimeout).toEqual(expect.any(Number));
    expect(producer.connectTimeout).toEqual(expect.any(Number));
  });

  it('keeps reconnecting, with a bounded delay', () => {
    const { retryStrategy } = redisConnectionFromUrl('redis://127.0.0.1') as { retryStrategy: (n: number) => number };
    expect(retryStrategy(1)).toBeGreaterThan(0);
    expect(retryStrategy(1000)).toBe(retryStrategy(100));
  });
});
