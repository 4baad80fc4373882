import { redisConnectionFromUrl } from './redis-connection';

describe('redisConnectionFromUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(redisConnectionFromUrl('redis://user:p%40ss@cache.internal:6380/3')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 3,
      maxRetriesPerRequest: null,
    });
  });

  it('defaults the port and database, and turns on TLS for rediss', () => {
    expect(redisConnectionFromUrl('rediss://127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, tls: {} });
  });
});
