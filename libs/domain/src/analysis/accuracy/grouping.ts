import { compareStrings } from './labels';

/**
 * A map keyed by two strings, through nested Maps: no key string is built per
 * row (a concatenated key is a new string to hash every time), and the
 * accuracy statistics key every judgement so, several times over.
 */
export class Grouping<T> {
  private readonly outer = new Map<string, Map<string, T>>();

  get(a: string, b: string): T | undefined {
    return this.outer.get(a)?.get(b);
  }

  set(a: string, b: string, value: T): void {
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    inner.set(b, value);
  }

  *values(): IterableIterator<T> {
    for (const inner of this.outer.values()) yield* inner.values();
  }

  /** Every entry as [a, b, value], sorted by a, then b. */
  sortedEntries(): [string, string, T][] {
    const out: [string, string, T][] = [];
    for (const a of [...this.outer.keys()].sort(compareStrings)) {
      const inner = this.outer.get(a) as Map<string, T>;
      for (const b of [...inner.keys()].sort(compareStrings)) out.push([a, b, inner.get(b) as T]);
    }
    return out;
  }
}

/** The values grouped into lists by two keys. */
export function groupBy2<T>(values: Iterable<T>, first: (value: T) => string, second: (value: T) => string): Grouping<T[]> {
  const groups = new Grouping<T[]>();
  for (const value of values) {
    const a = first(value);
    const b = second(value);
    const list = groups.get(a, b);
    if (list) list.push(value);
    else groups.set(a, b, [value]);
  }
  return groups;
}
