import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'lp_';
/** Characters of a generated key's random part that its prefix shows: 36 of its 256 bits. */
const SHOWN_RANDOM_CHARS = 6;

/**
 * The prefix of a key an operator chose (LOUPE_ADMIN_KEY). Such a key may be a
 * passphrase or follow a pattern, so no part of it, nor of its hash, is shown.
 */
export const SEEDED_KEY_PREFIX = 'seeded';

/** A new secret: 32 random bytes, so a fast hash is enough to store it safely. */
export function generateApiKey(): string {
  return `${PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * What may be shown later to tell generated keys apart: `lp_` and 6 random
 * characters, which leave 220 random bits unknown. Only for keys from
 * `generateApiKey`; an operator's key gets SEEDED_KEY_PREFIX.
 */
export function generatedKeyPrefix(secret: string): string {
  if (!secret.startsWith(PREFIX)) throw new Error('Only a generated key has a shown prefix');
  return secret.slice(0, PREFIX.length + SHOWN_RANDOM_CHARS);
}
