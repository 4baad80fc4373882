/*
 * The validator is the specs' oracle for the builder, so it is checked here
 * against the database itself: the statements its own tests and documentation
 * send are accepted, and each family of its rules refuses what the database refuses.
 */
import { validateDsaBatch, validateDsaStatement } from './dsa-validate';

/** tests/Feature/Http/Controllers/Api/v1/StatementMultipleAPIControllerTest.php, $required_fields (answered 201). */
const UPSTREAM_TEST_STATEMENT = {
  decision_visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED', 'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED'],
  decision_monetary: null,
  decision_provision: null,
  decision_account: null,
  decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
  category: 'STATEMENT_CATEGORY_ANIMAL_WELFARE',
  illegal_content_legal_ground: 'foo',
  illegal_content_explanation: 'bar',
  puid: 'TK421',
  territorial_scope: ['BE', 'DE', 'FR'],
  source_type: 'SOURCE_ARTICLE_16',
  source_identity: 'foo',
  decision_facts: 'decision and facts',
  content_type: ['CONTENT_TYPE_SYNTHETIC_MEDIA'],
  automated_detection: 'No',
  automated_decision: 'AUTOMATED_DECISION_PARTIALLY',
  application_date: '2023-05-18',
  content_date: '2023-05-18',
};

/** resources/markdown/api-documentation.md, "Creating a Statement". */
const DOCUMENTED_STATEMENT = {
  decision_visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED'],
  decision_monetary: 'DECISION_MONETARY_TERMINATION',
  end_date_monetary_restriction: '2023-08-08',
  decision_provision: 'DECISION_PROVISION_TOTAL_SUSPENSION',
  decision_account: 'DECISION_ACCOUNT_SUSPENDED',
  account_type: 'ACCOUNT_TYPE_BUSINESS',
  decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
  decision_ground_reference_url: 'https://www.anurl.com',
  content_type: ['CONTENT_TYPE_VIDEO', 'CONTENT_TYPE_AUDIO', 'CONTENT_TYPE_SYNTHETIC_MEDIA'],
  category: 'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN',
  illegal_content_legal_ground: 'illegal content legal grounds',
  illegal_content_explanation: 'illegal content explanation',
  incompatible_content_ground: 'incompatible content grounds',
  incompatible_content_explanation: 'incompatible content explanation',
  incompatible_content_illegal: 'Yes',
  territorial_scope: ['PT', 'ES', 'DE'],
  content_language: 'EN',
  content_date: '2023-08-08',
  content_id: { 'EAN-13': '0123456789123' },
  application_date: '2023-08-08',
  decision_facts: 'facts about the decision',
  source_type: 'SOURCE_TRUSTED_FLAGGER',
  automated_detection: 'No',
  automated_decision: 'AUTOMATED_DECISION_PARTIALLY',
  puid: 'TK421',
};

type Statement = Record<string, unknown>;

/** The documented statement, changed: a key set to undefined is removed. */
function variant(changes: Statement, base: Statement = DOCUMENTED_STATEMENT): Statement {
  const out: Statement = { ...base, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete out[k];
  return out;
}

function failures(statement: unknown): string[] {
  return validateDsaStatement(statement).map((p) => `${p.field}:${p.rule}`);
}

describe('validateDsaStatement', () => {
  it("accepts the statements of the database's own tests and documentation", () => {
    expect(failures(UPSTREAM_TEST_STATEMENT)).toEqual([]);
    expect(failures(DOCUMENTED_STATEMENT)).toEqual([]);
  });

  it('required: refuses missing, null, blank and empty required fields', () => {
    for (const field of ['decision_ground', 'category', 'content_type', 'content_date', 'application_date', 'decision_facts', 'source_type', 'automated_detection', 'automated_decision', 'puid']) {
      expect(failures(variant({ [field]: undefined }))).toContain(`${field}:required`);
    }
    expect(failures(variant({ decision_facts: '   \n' }))).toEqual(['decision_facts:required']);
    expect(failures(variant({ content_type: [] }))).toContain('content_type:required');
    expect(failures(variant({ puid: null }))).toContain('puid:required');
  });

  it('required_if and exclude_unless: the fields of the ground given are required, the others ignored', () => {
    const illegal = variant({ decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT', illegal_content_legal_ground: undefined, illegal_content_explanation: '' });
    expect(failures(illegal)).toEqual(['illegal_content_legal_ground:required_if', 'illegal_content_explanation:required_if']);
    const terms = variant({ incompatible_content_ground: undefined, incompatible_content_explanation: undefined });
    expect(failures(terms)).toEqual(['incompatible_content_ground:required_if', 'incompatible_content_explanation:required_if']);
    // Excluded fields are not checked at all: too long, or a value out of the list, passes.
    expect(failures(variant({ illegal_content_legal_ground: 'x'.repeat(501) }))).toEqual([]);
    expect(failures(variant({ incompatible_content_illegal: 'maybe' }, UPSTREAM_TEST_STATEMENT))).toEqual([]);
    expect(failures(variant({ decision_monetary: 'DECISION_MONETARY_TERMINATION', decision_monetary_other: 'x'.repeat(600) }))).toEqual([]);
    expect(failures(variant({ decision_monetary: 'DECISION_MONETARY_OTHER' }))).toEqual(['decision_monetary_other:required_if']);
  });

  it('required_without_all: one restriction at least', () => {
    const none = variant({ decision_visibility: undefined, decision_monetary: null, decision_provision: undefined, decision_account: undefined });
    expect(failures(none)).toEqual([
      'decision_visibility:required_without_all',
      'decision_monetary:required_without_all',
      'decision_provision:required_without_all',
      'decision_account:required_without_all',
    ]);
    expect(failures(variant({ decision_visibility: undefined, decision_monetary: undefined, decision_provision: undefined }))).toEqual([]);
  });

  it('requiredIf and excludeIf on "other" keys: the explanation is required with OTHER and ignored without', () => {
    expect(failures(variant({ decision_visibility: ['DECISION_VISIBILITY_OTHER'] }))).toEqual(['decision_visibility_other:required_when']);
    expect(failures(variant({ decision_visibility: ['DECISION_VISIBILITY_OTHER'], decision_visibility_other: 'shadow limited' }))).toEqual([]);
    expect(failures(variant({ content_type: ['CONTENT_TYPE_IMAGE', 'CONTENT_TYPE_OTHER'] }))).toEqual(['content_type_other:required_when']);
    expect(failures(variant({ content_type_other: 'x'.repeat(501) }))).toEqual([]);
    expect(failures(variant({ content_type: ['CONTENT_TYPE_OTHER'], content_type_other: 'x'.repeat(501) }))).toEqual(['content_type_other:max']);
  });

  it('in: refuses values outside the lists, in scalars and in arrays', () => {
    expect(failures(variant({ category: 'STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT' }))).toEqual(['category:in']);
    expect(failures(variant({ automated_detection: 'maybe' }))).toEqual(['automated_detection:in']);
    expect(failures(variant({ automated_detection: 'AUTOMATED_DETECTION_YES' }))).toEqual(['automated_detection:in']);
    expect(failures(variant({ automated_decision: 'Fully automated' }))).toEqual(['automated_decision:in']);
    expect(failures(variant({ source_type: 'SOURCE_USER' }))).toEqual(['source_type:in']);
    expect(failures(variant({ territorial_scope: ['DE', 'US'] }))).toEqual(['territorial_scope:in']);
    expect(failures(variant({ territorial_scope: ['EL'] }))).toEqual(['territorial_scope:in']);
    expect(failures(variant({ content_type: ['CONTENT_TYPE_IMAGE', 'CONTENT_TYPE_GIF'] }))).toEqual(['content_type:in']);
    expect(failures(variant({ category_specification: ['KEYWORD_DANGEROUS_TOYS'] }))).toEqual(['category_specification:in']);
    expect(failures(variant({ category_addition: [['STATEMENT_CATEGORY_VIOLENCE']] }))).toEqual(['category_addition:in']);
    expect(failures(variant({ content_language: 'en' }))).toEqual(['content_language:in']);
    expect(failures(variant({ decision_ground: 'DECISION_GROUND_TOS' }))).toEqual(['decision_ground:in']);
    // Without `nullable`, a null is checked against the list, and is not in it.
    expect(failures(variant({ incompatible_content_illegal: null }))).toEqual(['incompatible_content_illegal:in']);
  });

  it('nullable: a null optional field passes', () => {
    expect(failures(variant({ territorial_scope: null, content_language: null, account_type: null, category_specification: null, decision_ground_reference_url: null, content_id: null }))).toEqual([]);
  });

  it('array: list fields must be lists', () => {
    // A listed bare string passes `in` (Laravel checks a scalar against the list); `array` refuses it.
    expect(failures(variant({ content_type: 'CONTENT_TYPE_VIDEO' }))).toEqual(['content_type:array']);
    expect(failures(variant({ decision_visibility: 'DECISION_VISIBILITY_CONTENT_REMOVED' }))).toEqual(['decision_visibility:array']);
    expect(failures(variant({ territorial_scope: 'US' }))).toEqual(['territorial_scope:array', 'territorial_scope:in']);
    // And a list where a scalar belongs fails `in`.
    expect(failures(variant({ decision_monetary: ['DECISION_MONETARY_TERMINATION'] }))).toEqual(['decision_monetary:in']);
  });

  it('max: counts characters (not bytes) after trimming, and items of lists', () => {
    expect(failures(variant({ decision_facts: 'x'.repeat(5001) }))).toEqual(['decision_facts:max']);
    expect(failures(variant({ decision_facts: 'é'.repeat(5000) }))).toEqual([]);
    expect(failures(variant({ decision_facts: `  ${'x'.repeat(5000)}  ` }))).toEqual([]);
    expect(failures(variant({ incompatible_content_ground: 'x'.repeat(501) }))).toEqual(['incompatible_content_ground:max']);
    expect(failures(variant({ incompatible_content_explanation: 'x'.repeat(2001) }))).toEqual(['incompatible_content_explanation:max']);
    expect(failures(variant({ puid: 'a'.repeat(501) }))).toEqual(['puid:max']);
    expect(failures(variant({ source_identity: 'x'.repeat(501) }))).toEqual(['source_identity:max']);
  });

  it('date_format and the date bounds', () => {
    expect(failures(variant({ application_date: '2023-8-8' }))).toEqual(['application_date:date_format', 'application_date:after_or_equal', 'application_date:before_or_equal']);
    expect(failures(variant({ application_date: '2023-08-08T10:00:00Z' }))).toContain('application_date:date_format');
    expect(failures(variant({ content_date: '2023-02-30' }))).toContain('content_date:date_format');
    expect(failures(variant({ content_date: '1999-12-31' }))).toEqual(['content_date:after_or_equal']);
    expect(failures(variant({ content_date: '2000-01-01' }))).toEqual([]);
    expect(failures(variant({ application_date: '2019-12-31' }))).toEqual(['application_date:after_or_equal']);
    expect(failures(variant({ application_date: '2038-01-02' }))).toEqual(['application_date:before_or_equal']);
    expect(failures(variant({ application_date: '2038-01-01' }))).toEqual([]);
    expect(failures(variant({ end_date_visibility_restriction: '2038-01-02' }))).toEqual(['end_date_visibility_restriction:before_or_equal']);
    expect(failures(variant({ end_date_account_restriction: '01/02/2030' }))).toContain('end_date_account_restriction:date_format');
  });

  it('regex: puids of letters, digits, - and _ only; EAN-13 of 13 digits', () => {
    expect(failures(variant({ puid: 'abc-DEF_123' }))).toEqual([]);
    for (const puid of ['has space', 'a/b', 'a.b', 'ünï', 'line\nbreak']) expect(failures(variant({ puid }))).toEqual(['puid:regex']);
    expect(failures(variant({ content_id: { 'EAN-13': '123' } }))).toEqual(['content_id.EAN-13:regex']);
    expect(failures(variant({ content_id: { 'EAN-13': 1234567890123 } }))).toEqual(['content_id.EAN-13:string']);
  });

  it('url: the terms reference must be a URL', () => {
    expect(failures(variant({ decision_ground_reference_url: 'terms of service' }))).toEqual(['decision_ground_reference_url:url']);
    expect(failures(variant({ decision_ground_reference_url: 'https://platform.example/terms#nudity' }))).toEqual([]);
  });

  it('refuses a statement that is not an object', () => {
    expect(failures('statement')).toEqual([':array']);
    expect(failures(null)).toEqual([':array']);
  });
});

describe('validateDsaBatch', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => variant({ puid: `sor-${i}` }));

  it('takes 1 to 100 statements', () => {
    expect(validateDsaBatch({ statements: many(1) })).toEqual([]);
    expect(validateDsaBatch({ statements: many(100) })).toEqual([]);
    expect(validateDsaBatch({ statements: [] }).map((p) => p.rule)).toEqual(['required']);
    expect(validateDsaBatch({}).map((p) => p.rule)).toEqual(['required']);
    expect(validateDsaBatch({ statements: many(101) }).map((p) => p.rule)).toEqual(['between']);
  });

  it('names the statement of each problem, and refuses a puid repeated in the request', () => {
    const statements = [...many(3), variant({ puid: 'sor-1', category: 'nope' })];
    expect(validateDsaBatch({ statements }).map((p) => `${p.field}:${p.rule}`)).toEqual(['statements.3.category:in', 'statements.3.puid:puid_unique']);
  });
});
