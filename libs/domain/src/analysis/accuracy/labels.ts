/*
 * What a moderator's answer is, for the accuracy statistics: a policy's
 * violating yes/no, or one of a few classes. Labels are compared by type and
 * value, so `true` and `'true'` are different answers: a caller mixing them
 * has a bug that a silent coercion would hide.
 */

export type Label = string | number | boolean;

/** A key under which equal labels, and only equal labels, meet in a Map. */
export function labelKey(label: Label): string {
  // The common case, a violating yes/no, without building a string per call: agreement asks for a key per rating.
  if (label === true) return 'boolean:true';
  if (label === false) return 'boolean:false';
  return `${typeof label}:${String(label)}`;
}

/** Orders labels deterministically (type first, then value), so that outputs never depend on input order. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Plain code-unit order for ids: locale-independent, so a result sorts the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
