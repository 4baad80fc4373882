/*
 * Loupe's policies in the DSA's category taxonomy (the Implementing Regulation
 * on transparency reporting, as the database's "category & specification"
 * explanation lists it: each keyword belongs under one category).
 *
 * This is data: a later migration seeds it into the policy catalog, where an
 * operator can change it per policy without a release. A policy that is not
 * mapped is reported as "other violation of the provider's terms and
 * conditions", which is true of every Loupe policy, if not specific.
 */
import type { DsaCategory, DsaKeyword } from './dsa-vocabulary';

export interface DsaCategoryMapping {
  /** The main category (category). */
  category: DsaCategory;
  /** Keywords that narrow it (category_specification); each from under `category` in the taxonomy. */
  specifications?: DsaKeyword[];
}

export type DsaCategoryMap = Readonly<Record<string, DsaCategoryMapping>>;

export const DSA_FALLBACK_CATEGORY: DsaCategoryMapping = { category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC' };

/** The nine policies of config/policy-catalog.yaml. */
export const DEFAULT_DSA_CATEGORIES: DsaCategoryMap = {
  // The taxonomy files adult sexual material and nudity under terms-and-conditions violations.
  adult_nudity: { category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', specifications: ['KEYWORD_ADULT_SEXUAL_MATERIAL', 'KEYWORD_NUDITY'] },
  // Gore and glorified violence: Violence has no keyword for depictions, so none is claimed.
  graphic_violence: { category: 'STATEMENT_CATEGORY_VIOLENCE' },
  hate_symbols: { category: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH', specifications: ['KEYWORD_HATE_SPEECH'] },
  self_harm: { category: 'STATEMENT_CATEGORY_SELF_HARM', specifications: ['KEYWORD_SUICIDE', 'KEYWORD_SELF_MUTILATION'] },
  eating_disorder_promotion: { category: 'STATEMENT_CATEGORY_SELF_HARM', specifications: ['KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS'] },
  // "Unsafe challenges" is the taxonomy's keyword for stunts that invite imitation; it sits under minors.
  dangerous_acts: { category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS', specifications: ['KEYWORD_UNSAFE_CHALLENGES'] },
  // The policy spans endangering, sexualising and exploiting minors: a keyword such as CSAM would overclaim.
  minor_safety: { category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS' },
  harassment: { category: 'STATEMENT_CATEGORY_CYBER_VIOLENCE', specifications: ['KEYWORD_CYBER_HARASSMENT', 'KEYWORD_CYBER_BULLYING_INTIMIDATION'] },
  // Spam degrades the service but is not by itself a scam; the taxonomy has no spam keyword.
  spam: { category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC' },
};

/**
 * The categories of a decision's policies, the first policy's as the main one:
 * `category`, the others' main categories (`category_addition`) and every
 * keyword (`category_specification`), without repeats.
 */
export function dsaCategoriesFor(
  policyIds: readonly string[],
  map: DsaCategoryMap = DEFAULT_DSA_CATEGORIES,
): { category: DsaCategory; additions: DsaCategory[]; specifications: DsaKeyword[] } {
  const mappings = policyIds.length > 0 ? policyIds.map((id) => map[id] ?? DSA_FALLBACK_CATEGORY) : [DSA_FALLBACK_CATEGORY];
  const category = mappings[0].category;
  const additions = unique(mappings.map((m) => m.category)).filter((c) => c !== category);
  const specifications = unique(mappings.flatMap((m) => m.specifications ?? []));
  return { category, additions, specifications };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
