import { normaliseHashtag, normaliseText, TextFeaturizer } from './text-features';

const dot = (a: { indices: Int32Array; values: Float32Array }, b: { indices: Int32Array; values: Float32Array }) => {
  const other = new Map(Array.from(b.indices, (index, i) => [index, b.values[i]]));
  return Array.from(a.indices).reduce((sum, index, i) => sum + a.values[i] * (other.get(index) ?? 0), 0);
};

describe('text normalisation', () => {
  it('folds case and compatibility forms, and spacing', () => {
    expect(normaliseText('  ＳＵＭＭＥＲ\tat the\n ﬁeld ')).toBe('summer at the field');
  });

  it('strips the # of a hashtag, and its inner spaces', () => {
    expect(normaliseHashtag('#Beach')).toBe('beach');
    expect(normaliseHashtag('##ＢｅａｃｈＤａｙ')).toBe('beachday');
    expect(normaliseHashtag(' #summer vibes ')).toBe('summervibes');
    expect(normaliseHashtag('#')).toBe('');
  });
});

describe('TextFeaturizer', () => {
  const featurizer = new TextFeaturizer();

  it('names word, bigram, character n-gram, hashtag and language features in namespaces of their own', () => {
    const features = featurizer.features({ caption: 'Sunny beach', hashtags: ['#Beach'], language: 'EN' });
    expect(features.get('w:sunny')).toBe(1);
    expect(features.get('b:sunny beach')).toBe(1);
    expect(features.get('h:beach')).toBe(1);
    expect(features.get('l:en')).toBe(1);
    // "<be" comes from the word and from the hashtag.
    expect(features.get('c:<be')).toBe(2);
    expect(features.has('w:beach')).toBe(true);
    expect(features.has('w:#beach')).toBe(false);
  });

  it('gives the same vector for the same text, however it was written', () => {
    const a = featurizer.featurize({ caption: 'A DAY at the Beach', hashtags: ['#Summer'], language: 'en' });
    const b = featurizer.featurize({ caption: 'a day  at the ｂｅａｃｈ', hashtags: ['summer'], language: 'EN' });
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  });

  it('is a unit vector with sorted indices inside the dimension', () => {
    const vector = featurizer.featurize({ caption: 'the quick brown fox jumps over the lazy dog', hashtags: ['#fox', '#dog'] });
    expect(vector.dimension).toBe(1 << 18);
    const indices = Array.from(vector.indices);
    expect(indices).toEqual([...indices].sort((x, y) => x - y));
    expect(new Set(indices).size).toBe(indices.length);
    expect(indices.every((i) => i >= 0 && i < vector.dimension)).toBe(true);
    expect(dot(vector, vector)).toBeCloseTo(1, 5);
  });

  it('gives nothing for no text', () => {
    const vector = featurizer.featurize({ caption: null, hashtags: ['#', ' '] });
    expect(vector.indices).toHaveLength(0);
    expect(vector.values).toHaveLength(0);
  });

  it('lets a hashtag nobody has seen share features with the words it is made of', () => {
    const seen = featurizer.featurize({ hashtags: ['#thinspiration'] });
    const unseen = featurizer.featurize({ hashtags: ['#thinspo2026'] });
    const unrelated = featurizer.featurize({ hashtags: ['#gardening'] });
    expect(dot(seen, unseen)).toBeGreaterThan(0.2);
    expect(Math.abs(dot(seen, unrelated))).toBeLessThan(0.1);
  });

  it('keeps a hashtag apart from the same word in the caption, beyond their shared pieces', () => {
    const tag = featurizer.features({ hashtags: ['#beach'] });
    const word = featurizer.features({ caption: 'beach' });
    expect(tag.has('h:beach') && !word.has('h:beach')).toBe(true);
    expect(word.has('w:beach') && !tag.has('w:beach')).toBe(true);
  });

  it('refuses a dimension that is not a power of two', () => {
    expect(() => new TextFeaturizer({ dimension: 1000 })).toThrow(/power of two/);
    expect(new TextFeaturizer({ dimension: 1024 }).featurize({ caption: 'hello world' }).indices.every((i) => i < 1024)).toBe(true);
  });
});
