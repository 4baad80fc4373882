import path from 'node:path';
import { PROJECT_ROOT } from '@loupe/common';
import { loadPolicyCatalog } from '../../policy/policy-catalog.loader';
import { DEFAULT_DSA_CATEGORIES, dsaCategoriesFor } from './dsa-categories';
import { DSA_CATEGORIES, DSA_KEYWORDS, DsaCategory, DsaKeyword } from './dsa-vocabulary';

/**
 * The keywords under the categories the default map uses, from the database's
 * resources/markdown/additional-explanation-for-statement-attributes.md, section 16.
 */
const TAXONOMY: Partial<Record<DsaCategory, DsaKeyword[]>> = {
  STATEMENT_CATEGORY_CYBER_VIOLENCE: [
    'KEYWORD_CYBER_BULLYING_INTIMIDATION',
    'KEYWORD_CYBER_HARASSMENT',
    'KEYWORD_CYBER_INCITEMENT',
    'KEYWORD_CYBER_STALKING',
    'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING',
    'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE',
  ],
  STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH: ['KEYWORD_DEFAMATION', 'KEYWORD_DISCRIMINATION', 'KEYWORD_HATE_SPEECH'],
  STATEMENT_CATEGORY_OTHER_VIOLATION_TC: [
    'KEYWORD_ADULT_SEXUAL_MATERIAL',
    'KEYWORD_AGE_SPECIFIC_RESTRICTIONS',
    'KEYWORD_GEOGRAPHICAL_REQUIREMENTS',
    'KEYWORD_GOODS_SERVICES_NOT_PERMITTED',
    'KEYWORD_LANGUAGE_REQUIREMENTS',
    'KEYWORD_NUDITY',
  ],
  STATEMENT_CATEGORY_PROTECTION_OF_MINORS: [
    'KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS',
    'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL',
    'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE',
    'KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS',
    'KEYWORD_UNSAFE_CHALLENGES',
  ],
  STATEMENT_CATEGORY_SELF_HARM: ['KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS', 'KEYWORD_SELF_MUTILATION', 'KEYWORD_SUICIDE'],
  STATEMENT_CATEGORY_VIOLENCE: ['KEYWORD_COORDINATED_HARM', 'KEYWORD_INCITEMENT_VIOLENCE_HATRED', 'KEYWORD_HUMAN_EXPLOITATION', 'KEYWORD_HUMAN_TRAFFICKING', 'KEYWORD_TRAFFICKING_WOMEN_GIRLS'],
};

describe('DEFAULT_DSA_CATEGORIES', () => {
  it("maps every policy of the shipped catalog, and nothing else", async () => {
    const catalog = await loadPolicyCatalog(path.join(PROJECT_ROOT, 'config/policy-catalog.yaml'));
    expect(Object.keys(DEFAULT_DSA_CATEGORIES).sort()).toEqual(catalog.policies.map((p) => p.id).sort());
  });

  it("uses only the database's values, each keyword under its own category", () => {
    for (const [policy, { category, specifications = [] }] of Object.entries(DEFAULT_DSA_CATEGORIES)) {
      expect(DSA_CATEGORIES).toContain(category);
      for (const keyword of specifications) {
        expect(DSA_KEYWORDS).toContain(keyword);
        expect({ policy, keyword, under: TAXONOMY[category] ?? [] }).toEqual({ policy, keyword, under: expect.arrayContaining([keyword]) });
      }
    }
  });

  it('is plain data a migration can store as JSON', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_DSA_CATEGORIES))).toEqual(DEFAULT_DSA_CATEGORIES);
  });
});

describe('dsaCategoriesFor', () => {
  it('puts the first policy first, the other categories once each, and every keyword once', () => {
    expect(dsaCategoriesFor(['self_harm', 'eating_disorder_promotion', 'minor_safety', 'self_harm'])).toEqual({
      category: 'STATEMENT_CATEGORY_SELF_HARM',
      additions: ['STATEMENT_CATEGORY_PROTECTION_OF_MINORS'],
      specifications: ['KEYWORD_SUICIDE', 'KEYWORD_SELF_MUTILATION', 'KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS'],
    });
  });

  it('falls back to another terms-and-conditions violation', () => {
    expect(dsaCategoriesFor([])).toEqual({ category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', additions: [], specifications: [] });
    expect(dsaCategoriesFor(['unknown', 'graphic_violence']).additions).toEqual(['STATEMENT_CATEGORY_VIOLENCE']);
  });
});
