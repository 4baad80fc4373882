import { apiKeyPrefix, generateApiKey, hashApiKey } from './api-key-secret';

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
    expect(key.startsWith(apiKeyPrefix(key))).toBe(true);
    expect(apiKeyPrefix(key).length).toBeLessThan(12);
  });
});
