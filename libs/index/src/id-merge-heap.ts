/**
 * A binary min-heap of merge sources keyed by the id at each source's head:
 * the k-way merge of SegmentBuilder takes log(k) steps per entry, so a merge
 * can take dozens of frozen segments at once (a bulk load then writes each
 * entry into a large segment once, not once per merge tier).
 */
export class IdMergeHeap {
  private readonly keys: Float64Array;
  private readonly sources: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.sources = new Int32Array(capacity);
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** Source with the smallest head id; only when not empty. */
  get topSource(): number {
    return this.sources[0];
  }

  get topId(): number {
    return this.keys[0];
  }

  push(id: number, source: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= id) break;
      this.keys[i] = this.keys[parent];
      this.sources[i] = this.sources[parent];
      i = parent;
    }
    this.keys[i] = id;
    this.sources[i] = source;
  }

  /** Gives the top source a new head id (it advanced). */
  replaceTop(id: number): void {
    this.siftDown(id, this.sources[0]);
  }

  /** Drops the top source (it ran out). */
  pop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.keys[last], this.sources[last]);
  }

  private siftDown(id: number, source: number): void {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= id) break;
      this.keys[i] = this.keys[child];
      this.sources[i] = this.sources[child];
      i = child;
    }
    this.keys[i] = id;
    this.sources[i] = source;
  }
}
