import type { Principal } from '@loupe/vocabulary';

/**
 * Keys this process verified a moment ago, by the hash of their secret: a
 * moderator's claim and decision each ran one lookup of their key before,
 * on a path where every round trip to PostgreSQL is on their wait. Only
 * keys that verified are kept (an unknown key is looked up every time, so a
 * new key works at once), for a few seconds, and a revocation here drops
 * the key at once; in other processes it lapses with the entry.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(keyHash: string): Principal | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.principal;
  }

  set(keyHash: string, principal: Principal): void {
    if (this.ttlMs <= 0) return;
    // A Map iterates in insertion order: past the bound, the oldest entry goes.
    if (this.entries.size >= this.maxEntries && !this.entries.has(keyHash)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(keyHash, { principal, expiresAt: this.now() + this.ttlMs });
  }

  /** Forgets a key by its id (a revocation knows the row, not the secret). */
  dropId(id: string): void {
    for (const [hash, entry] of this.entries) if (entry.principal.id === id) this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }
}
