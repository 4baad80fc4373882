/**
 * The shard that owns an entry id. Ids are database keys, often sequential
 * or sharing a stride, so they are mixed (the murmur3 finaliser) before the
 * modulo: every shard gets an even share whatever the pattern.
 */
export function shardOf(id: number, shards: number): number {
  let h = id >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % shards;
}
