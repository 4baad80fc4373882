import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'lp_';

/** A new secret: 32 random bytes, so a fast hash is enough to store it safely. */
export function generateApiKey(): string {
  return `${PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What may be shown later to tell keys apart, never enough to use one. */
export function apiKeyPrefix(secret: string): string {
  return secret.slice(0, PREFIX.length + 6);
}
