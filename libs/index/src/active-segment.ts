import { PlanarSegment } from './planar-segment';
import type { WasmModule } from './wasm-api';

/** Largest active capacity: the seal sorts positions in the low 16 bits of a float key. */
export const MAX_ACTIVE_CAPACITY = 65536;

/**
 * The segment new entries are appended to: small, unsorted, scanned. When
 * full it is frozen (no more appends) and a background merge seals it into
 * a SealedSegment with MIH tables; until then it keeps answering by scan.
 */
export class ActiveSegment extends PlanarSegment {
  private readonly positions = new Map<number, number>();
  // Id range held: a bulk load of new (ascending) ids skips the Map entirely.
  private minId = Infinity;
  private maxId = -1;

  constructor(kernel: WasmModule, capacity: number) {
    if (capacity < 1 || capacity > MAX_ACTIVE_CAPACITY) {
      throw new RangeError(`Active segment capacity must be 1..${MAX_ACTIVE_CAPACITY}`);
    }
    super(kernel, capacity);
  }

  get full(): boolean {
    return this.n === this.capacity;
  }

  /** Appends an entry; the caller has removed any live entry with the same id. */
  append(id: number, hash: Uint32Array, offset: number): void {
    if (this.full) throw new Error('Active segment is full');
    const index = this.n++;
    this.writeWords(index, hash, offset);
    this.ids[index] = id;
    this.positions.set(id, index);
    if (id < this.minId) this.minId = id;
    if (id > this.maxId) this.maxId = id;
  }

  indexOf(id: number): number {
    if (id < this.minId || id > this.maxId) return -1;
    return this.positions.get(id) ?? -1;
  }

  override removeAt(index: number): void {
    if (this.isDead(index)) return;
    this.positions.delete(this.ids[index]);
    super.removeAt(index);
  }

  /** Live positions in ascending id order (ids are unique among live entries). */
  positionsById(): Uint32Array {
    const keys = new Float64Array(this.live);
    let k = 0;
    for (let i = 0; i < this.n; i++) if (!this.isDead(i)) keys[k++] = this.ids[i] * MAX_ACTIVE_CAPACITY + i;
    keys.sort();
    const order = new Uint32Array(keys.length);
    for (let i = 0; i < keys.length; i++) order[i] = keys[i] % MAX_ACTIVE_CAPACITY;
    return order;
  }

  override memoryBytes(): number {
    // A Map entry costs about 40 bytes in V8.
    return super.memoryBytes() + this.positions.size * 40;
  }
}
