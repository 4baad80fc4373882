import { murmur3 } from './feature-hash';

/** Identifies the featuriser in a model's lineage; change it whenever the features change. */
export const TEXT_FEATURES_VERSION = 'loupe-text-hash-v1';

export interface TextFeatureInput {
  caption?: string | null;
  hashtags?: readonly string[];
  language?: string | null;
}

/** A sparse vector: sorted bucket indices and their values, L2-normalised. */
export interface SparseVector {
  dimension: number;
  indices: Int32Array;
  values: Float32Array;
}

export interface TextFeaturizerOptions {
  /** Buckets of the hashed space; a power of two. */
  dimension?: number;
  /** Lengths of the character n-grams taken from each word and hashtag. */
  charNgrams?: readonly number[];
}

/** Case, Unicode compatibility forms (NFKC: full-width letters, ligatures) and spacing, made uniform. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** A hashtag as a key: normalised like text, without its '#' and inner spaces. */
export function normaliseHashtag(tag: string): string {
  return normaliseText(tag).replace(/^#+/u, '').replace(/\s+/gu, '');
}

const WORD = /[\p{L}\p{N}\p{M}_]+/gu;

/**
 * Loupe's own text featuriser: hashed word unigrams and bigrams, character
 * n-grams of each word and hashtag, whole hashtags, and the language, each
 * in a namespace of its own. Feature hashing needs no vocabulary, so a
 * hashtag that nobody has seen before still lands in buckets a model can
 * learn, and shares its character n-grams with the words it is made of.
 * A second hash gives each feature a sign, so that collisions cancel on
 * average rather than add up.
 */
export class TextFeaturizer {
  readonly dimension: number;
  private readonly charNgrams: readonly number[];

  constructor(options: TextFeaturizerOptions = {}) {
    this.dimension = options.dimension ?? 1 << 18;
    if (!Number.isInteger(Math.log2(this.dimension))) throw new Error(`dimension must be a power of two, got ${this.dimension}`);
    this.charNgrams = options.charNgrams ?? [3, 4, 5];
  }

  /** The named features before hashing, with their counts: what `featurize` hashes. */
  features(input: TextFeatureInput): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const words = normaliseText(input.caption ?? '').match(WORD) ?? [];
    words.forEach((word, i) => {
      add(`w:${word}`);
      if (i > 0) add(`b:${words[i - 1]} ${word}`);
      this.grams(word).forEach((gram) => add(`c:${gram}`));
    });
    for (const raw of input.hashtags ?? []) {
      const tag = normaliseHashtag(raw);
      if (!tag) continue;
      add(`h:${tag}`);
      // The same namespace as words' n-grams: #beachday shares "beach" pieces with the word beach.
      this.grams(tag).forEach((gram) => add(`c:${gram}`));
    }
    const language = input.language ? normaliseText(input.language) : '';
    if (language) add(`l:${language}`);
    return counts;
  }

  featurize(input: TextFeatureInput): SparseVector {
    const buckets = new Map<number, number>();
    for (const [feature, count] of this.features(input)) {
      const hash = murmur3(feature);
      const bucket = hash & (this.dimension - 1);
      const sign = murmur3(feature, 0x9747b28c) & 1 ? 1 : -1;
      // Sub-linear in the count: a word said five times is not five times the evidence.
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + sign * (1 + Math.log(count)));
    }
    const indices = Int32Array.from([...buckets.keys()].filter((b) => buckets.get(b) !== 0)).sort();
    const values = Float32Array.from(indices, (b) => buckets.get(b)!);
    let squares = 0;
    for (const value of values) squares += value * value;
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let i = 0; i < values.length; i++) values[i] /= norm;
    return { dimension: this.dimension, indices, values };
  }

  /** Character n-grams of a token, with '<' and '>' marking its ends. */
  private grams(token: string): string[] {
    const padded = [...`<${token}>`];
    const grams: string[] = [];
    for (const n of this.charNgrams) for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n).join(''));
    return grams;
  }
}
