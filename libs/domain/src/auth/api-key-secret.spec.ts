import { generateApiKey, generatedKeyPrefix, hashApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('are long, random and prefixed', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).toMatch(/^lp_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('hash deterministically, and the stored prefix cannot be used as the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toBe(hashApiKey(generateApiKey()));
    expect(key.startsWith(generatedKeyPrefix(key))).toBe(true);
    expect(generatedKeyPrefix(key).length).toBeLessThan(12);
  });

  it('show a prefix only of keys they generated, never of a key chosen by someone', () => {
    expect(() => generatedKeyPrefix('correct-horse-battery-staple-and-more-words')).toThrow();
  });
});
