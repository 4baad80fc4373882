import { generateWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1","type":"content.removed"}';
  const t = 1_767_225_600;

  it('is HMAC-SHA256 of "<timestamp>.<body>" in hex, as `openssl dgst -sha256 -hmac` computes it', () => {
    // printf '%s' '1767225600.{"id":"e1","type":"content.removed"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhook(secret, body, t)).toBe('t=1767225600,v1=815954760107a557d4e1394a73df3cf623cd42b687909936730c42db523b2d0e');
  });

  it('verifies its own signature within the tolerance', () => {
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t), { now: t + 299 })).toBe(true);
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t), { now: t - 10 })).toBe(true);
  });

  it('refuses another body, another secret, an old timestamp, a moved timestamp and a malformed header', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, `${body} `, header, { now: t })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', body, header, { now: t })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, { now: t + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace(`t=${t}`, `t=${t + 1}`), { now: t })).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=zz`]) {
      expect(verifyWebhookSignature(secret, body, bad, { now: t })).toBe(false);
    }
  });

  it('accepts a header with several v1 values when one matches (secret rotation)', () => {
    const good = signWebhook(secret, body, t).split(',')[1];
    expect(verifyWebhookSignature(secret, body, `t=${t},v1=${'0'.repeat(64)},${good}`, { now: t })).toBe(true);
  });

  it('generates distinct secrets of 32 random bytes', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
