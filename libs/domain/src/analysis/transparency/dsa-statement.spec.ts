import { buildDsaStatement, dsaAutomation, dsaDate, dsaLanguage, DsaRemoval, isEeaRegion } from './dsa-statement';
import { validateDsaStatement } from './dsa-validate';
import { DSA_EEA_COUNTRY_CODES } from './dsa-vocabulary';

const ADULT = { id: 'adult_nudity', title: 'Adult nudity and sexual activity', description: 'Sexually explicit or suggestive imagery of adults.' };
const SPAM = { id: 'spam', title: 'Spam and platform manipulation' };
const HARASSMENT = { id: 'harassment', title: 'Harassment and bullying', description: 'Content that targets individuals with abuse.' };

function removal(overrides: Partial<DsaRemoval> = {}): DsaRemoval {
  return {
    contentId: '3f1c9a52-8e0b-4b7e-9d3c-1a2b3c4d5e6f',
    contentKind: 'image',
    contentCreatedAt: new Date('2026-03-01T22:30:00Z'),
    decidedAt: new Date('2026-03-02T23:59:59Z'),
    decidedBy: { source: 'model' },
    policies: [ADULT],
    region: 'DE',
    language: 'de',
    facts: 'Classifier score 0.97 for adult_nudity, above the removal threshold 0.90.',
    ...overrides,
  };
}

describe('buildDsaStatement', () => {
  const cases: Array<[string, Partial<DsaRemoval>, { detection: string; decision: string; source: string }]> = [
    ['a bank match', { decidedBy: { source: 'hash' } }, { detection: 'Yes', decision: 'AUTOMATED_DECISION_FULLY', source: 'SOURCE_VOLUNTARY' }],
    ['a model', { decidedBy: { source: 'model' } }, { detection: 'Yes', decision: 'AUTOMATED_DECISION_FULLY', source: 'SOURCE_VOLUNTARY' }],
    ['a moderator on a model case', { decidedBy: { source: 'human', caseSource: 'model' } }, { detection: 'Yes', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_VOLUNTARY' }],
    ['a moderator on a bank case', { decidedBy: { source: 'human', caseSource: 'hash' } }, { detection: 'Yes', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_VOLUNTARY' }],
    ['a moderator on a viral item', { decidedBy: { source: 'human', caseSource: 'virality' } }, { detection: 'Yes', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_VOLUNTARY' }],
    ['a moderator on a quality sample', { decidedBy: { source: 'human', caseSource: 'sample' } }, { detection: 'No', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_VOLUNTARY' }],
    ['a moderator on a user report', { decidedBy: { source: 'human', caseSource: 'report' } }, { detection: 'No', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_TYPE_OTHER_NOTIFICATION' }],
    ['a moderator on an Article 16 notice', { decidedBy: { source: 'human', caseSource: 'report', notice: 'article_16' } }, { detection: 'No', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_ARTICLE_16' }],
    ['a moderator on a trusted flagger notice', { decidedBy: { source: 'human', caseSource: 'report', notice: 'trusted_flagger' } }, { detection: 'No', decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'SOURCE_TRUSTED_FLAGGER' }],
  ];

  it.each(cases)('reports a removal by %s with the automation and source it had', (_name, overrides, expected) => {
    const statement = buildDsaStatement(removal(overrides));
    expect(statement).toMatchObject({ automated_detection: expected.detection, automated_decision: expected.decision, source_type: expected.source });
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('ignores a notice kind on a case that no notice opened', () => {
    expect(dsaAutomation({ source: 'human', caseSource: 'model', notice: 'article_16' }).source_type).toBe('SOURCE_VOLUNTARY');
  });

  it.each([
    ['image', 'CONTENT_TYPE_IMAGE'],
    ['video', 'CONTENT_TYPE_VIDEO'],
  ] as const)('gives an %s item its content type', (kind, type) => {
    const statement = buildDsaStatement(removal({ contentKind: kind }));
    expect(statement.content_type).toEqual([type]);
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('maps the fields of a terms-of-service removal', () => {
    const statement = buildDsaStatement(removal(), { termsUrl: 'https://platform.example/terms' });
    expect(statement).toEqual({
      decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'],
      decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
      decision_ground_reference_url: 'https://platform.example/terms',
      incompatible_content_ground: 'Terms of service, Adult nudity and sexual activity (adult_nudity)',
      incompatible_content_explanation: 'Adult nudity and sexual activity: Sexually explicit or suggestive imagery of adults.',
      content_type: ['CONTENT_TYPE_IMAGE'],
      category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC',
      category_specification: ['KEYWORD_ADULT_SEXUAL_MATERIAL', 'KEYWORD_NUDITY'],
      territorial_scope: [...DSA_EEA_COUNTRY_CODES],
      content_language: 'DE',
      content_date: '2026-03-01',
      application_date: '2026-03-02',
      decision_facts: 'Classifier score 0.97 for adult_nudity, above the removal threshold 0.90.',
      source_type: 'SOURCE_VOLUNTARY',
      automated_detection: 'Yes',
      automated_decision: 'AUTOMATED_DECISION_FULLY',
      puid: '3f1c9a52-8e0b-4b7e-9d3c-1a2b3c4d5e6f',
    });
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('writes dates as the UTC day, whatever the time', () => {
    expect(dsaDate(new Date('2026-03-02T23:59:59.999Z'))).toBe('2026-03-02');
    expect(dsaDate(new Date('2026-03-03T00:30:00+02:00'))).toBe('2026-03-02');
  });

  it('restricts a removal in the whole EEA, for an EEA region and for one outside it', () => {
    for (const region of ['DE', 'US', 'BR', 'GB', 'CH']) {
      const statement = buildDsaStatement(removal({ region }));
      expect(statement.territorial_scope).toEqual([...DSA_EEA_COUNTRY_CODES]);
      expect(validateDsaStatement(statement)).toEqual([]);
    }
    expect(isEeaRegion('de')).toBe(true);
    expect(isEeaRegion('NO')).toBe(true);
    expect(isEeaRegion('US')).toBe(false);
    expect(isEeaRegion('GB')).toBe(false);
  });

  it('takes the main category from the first policy and adds the others', () => {
    const statement = buildDsaStatement(removal({ policies: [HARASSMENT, ADULT, SPAM] }));
    expect(statement.category).toBe('STATEMENT_CATEGORY_CYBER_VIOLENCE');
    expect(statement.category_addition).toEqual(['STATEMENT_CATEGORY_OTHER_VIOLATION_TC']);
    expect(statement.category_specification).toEqual(['KEYWORD_CYBER_HARASSMENT', 'KEYWORD_CYBER_BULLYING_INTIMIDATION', 'KEYWORD_ADULT_SEXUAL_MATERIAL', 'KEYWORD_NUDITY']);
    expect(statement.incompatible_content_ground).toBe('Terms of service, Harassment and bullying (harassment); Adult nudity and sexual activity (adult_nudity); Spam and platform manipulation (spam)');
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('reports an unmapped policy, or none, as another terms-and-conditions violation', () => {
    for (const policies of [[{ id: 'new_policy', title: 'New policy' }], []]) {
      const statement = buildDsaStatement(removal({ policies }));
      expect(statement.category).toBe('STATEMENT_CATEGORY_OTHER_VIOLATION_TC');
      expect(statement.category_specification).toBeUndefined();
      expect(validateDsaStatement(statement)).toEqual([]);
    }
  });

  it('uses a category map from the catalog when given one', () => {
    const statement = buildDsaStatement(removal(), { categories: { adult_nudity: { category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS' } } });
    expect(statement.category).toBe('STATEMENT_CATEGORY_PROTECTION_OF_MINORS');
  });

  it('fills the illegal-content fields, and none of the terms ones, for an illegal-content ground', () => {
    const statement = buildDsaStatement(removal({ ground: { kind: 'illegal', legalGround: 'Section 184b StGB', explanation: 'Depicts the abuse of a child.' } }));
    expect(statement).toMatchObject({
      decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
      illegal_content_legal_ground: 'Section 184b StGB',
      illegal_content_explanation: 'Depicts the abuse of a child.',
    });
    expect(statement).not.toHaveProperty('incompatible_content_ground');
    expect(statement).not.toHaveProperty('incompatible_content_illegal');
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('says whether terms-of-service content was also illegal only when told', () => {
    expect(buildDsaStatement(removal())).not.toHaveProperty('incompatible_content_illegal');
    expect(buildDsaStatement(removal({ ground: { kind: 'terms', alsoIllegal: true } })).incompatible_content_illegal).toBe('Yes');
    const no = buildDsaStatement(removal({ ground: { kind: 'terms', alsoIllegal: false } }));
    expect(no.incompatible_content_illegal).toBe('No');
    expect(validateDsaStatement(no)).toEqual([]);
  });

  it('explains a terms ground by the facts when no policy has a description', () => {
    const statement = buildDsaStatement(removal({ policies: [SPAM] }));
    expect(statement.incompatible_content_explanation).toBe(statement.decision_facts);
  });

  it('cuts long texts to the limits, counting characters as the database does', () => {
    const statement = buildDsaStatement(
      removal({
        facts: '🙂'.repeat(6000),
        policies: [{ id: 'adult_nudity', title: 'T'.repeat(600), description: 'd'.repeat(3000) }],
      }),
    );
    expect(Array.from(statement.decision_facts)).toHaveLength(5000);
    expect(statement.decision_facts.endsWith('…')).toBe(true);
    expect(Array.from(statement.incompatible_content_ground!)).toHaveLength(500);
    expect(Array.from(statement.incompatible_content_explanation!)).toHaveLength(2000);
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('writes facts from the decision when the reason is empty', () => {
    const statement = buildDsaStatement(removal({ facts: '   ', decidedBy: { source: 'hash' }, contentKind: 'video' }));
    expect(statement.decision_facts).toBe('The video was removed by a match against a bank of removed media under: Adult nudity and sexual activity.');
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('sends a language the database lists, and leaves out one it does not', () => {
    expect(dsaLanguage('pt-BR')).toBe('PT');
    expect(dsaLanguage('en')).toBe('EN');
    expect(dsaLanguage('yue')).toBeUndefined();
    expect(dsaLanguage(undefined)).toBeUndefined();
    expect(buildDsaStatement(removal({ language: 'yue' }))).not.toHaveProperty('content_language');
  });

  it('sends the account type when known', () => {
    const statement = buildDsaStatement(removal({ accountType: 'business' }));
    expect(statement.account_type).toBe('ACCOUNT_TYPE_BUSINESS');
    expect(validateDsaStatement(statement)).toEqual([]);
  });

  it('builds a statement the database refuses when the content predates its bounds, so the export must check', () => {
    const problems = validateDsaStatement(buildDsaStatement(removal({ contentCreatedAt: new Date('1999-12-31T12:00:00Z') })));
    expect(problems.map((p) => `${p.field}:${p.rule}`)).toEqual(['content_date:after_or_equal']);
  });
});
