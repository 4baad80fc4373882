import { VerifiedKeyCache } from './verified-key-cache';

const alice = { id: 'a', name: 'alice', role: 'moderator' as const };
const bob = { id: 'b', name: 'bob', role: 'admin' as const };

describe('VerifiedKeyCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('keeps a verified key until its time is up', () => {
    const cache = new VerifiedKeyCache(5_000, 10, now);
    cache.set('h1', alice);
    clock += 4_999;
    expect(cache.get('h1')).toEqual(alice);
    clock += 1;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('keeps nothing when its time is zero', () => {
    const cache = new VerifiedKeyCache(0, 10, now);
    cache.set('h1', alice);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('drops a revoked key by its id, and only that key', () => {
    const cache = new VerifiedKeyCache(5_000, 10, now);
    cache.set('h1', alice);
    cache.set('h2', bob);
    cache.dropId('a');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toEqual(bob);
  });

  it('holds at most its bound, dropping the oldest first', () => {
    const cache = new VerifiedKeyCache(5_000, 2, now);
    cache.set('h1', alice);
    cache.set('h2', bob);
    cache.set('h3', alice);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toEqual(bob);
    expect(cache.get('h3')).toEqual(alice);
  });
});
