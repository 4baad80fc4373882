/**
 * The terms trend detection counts for one item: its hashtags as `#tag`,
 * and the words of its caption, each once per item (an item that repeats a
 * word ten times is one item carrying it). Caption words are lower-cased
 * letters and digits of 3 to 40 characters, not stop words and not plain
 * numbers; a `#tag` written in the caption counts as the hashtag.
 */
export type TermKind = 'hashtag' | 'caption';

// Short and common English and function words: they follow the volume, never a trend.
const STOP_WORDS = new Set(
  'the and for are but not you all any can had her was one our out has his how its may new now old see two way who did get let put say she too use with this that from they have been were what when your will more than them then into only some time very just like also here there their which would about after other these could while where those being over such'.split(' '),
);

export function termKind(term: string): TermKind {
  return term.startsWith('#') ? 'hashtag' : 'caption';
}

export function itemTerms(hashtags: readonly string[], caption: string | null, options: { captions?: boolean } = {}): string[] {
  const terms = new Set<string>();
  for (const tag of hashtags) {
    const t = normaliseTag(tag);
    if (t) terms.add(`#${t}`);
  }
  if (caption && options.captions !== false) {
    const text = caption.normalize('NFKC').toLowerCase();
    for (const match of text.matchAll(/#([\p{L}\p{N}_]{1,100})/gu)) terms.add(`#${match[1]}`);
    for (const word of text.replace(/#[\p{L}\p{N}_]+/gu, ' ').split(/[^\p{L}\p{N}]+/u)) {
      if (word.length < 3 || word.length > 40 || /^\p{N}+$/u.test(word) || STOP_WORDS.has(word)) continue;
      terms.add(word);
    }
  }
  return [...terms];
}

function normaliseTag(tag: string): string {
  return tag.normalize('NFKC').replace(/^#/, '').trim().toLowerCase();
}
