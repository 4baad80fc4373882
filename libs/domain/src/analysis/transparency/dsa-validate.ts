/*
 * The Transparency Database's validation of a statement of reasons,
 * transcribed rule for rule so the specs can use it as the oracle: the RULES
 * table below is GroupedSubmissionsService::multi_rules (the batch endpoint's
 * rules) at the commit in dsa-vocabulary.ts, in the same order, and each rule
 * behaves as Laravel's of the same name. The single-statement endpoint
 * (StatementStoreRequest) differs only in content_id_ean, which the batch
 * endpoint does not take, and in dropping source_identity for SOURCE_VOLUNTARY
 * rather than checking its length.
 *
 * Approximations, each stricter or equal: `url` is the WHATWG parser with a
 * scheme and host rather than Laravel's pattern; date order rules need the
 * Y-m-d form (Laravel would also try PHP's free-form date parsing).
 */
import {
  DSA_ACCOUNT_TYPES,
  DSA_AUTOMATED_DECISIONS,
  DSA_BATCH_MAX,
  DSA_CATEGORIES,
  DSA_CONTENT_TYPES,
  DSA_DATE_BOUNDS,
  DSA_DECISION_ACCOUNTS,
  DSA_DECISION_GROUNDS,
  DSA_DECISION_MONETARIES,
  DSA_DECISION_PROVISIONS,
  DSA_DECISION_VISIBILITIES,
  DSA_EEA_COUNTRY_CODES,
  DSA_KEYWORDS,
  DSA_LANGUAGE_CODES,
  DSA_SOURCE_TYPES,
  DSA_YES_NO,
} from './dsa-vocabulary';

/** One reason the database would refuse a statement: `field` as it names it, `rule` as Laravel names it. */
export interface DsaProblem {
  field: string;
  rule: string;
  message: string;
}

type Data = Record<string, unknown>;

export type DsaRule =
  | { rule: 'required' | 'nullable' | 'array' | 'string' | 'date_format' | 'url' }
  | { rule: 'required_if' | 'exclude_unless'; field: string; value: string }
  | { rule: 'required_without_all'; fields: string[] }
  /** Rule::requiredIf / Rule::excludeIf with a condition on the statement. */
  | { rule: 'required_when' | 'exclude_when'; when: (data: Data) => boolean; label: string }
  /** `in:` – with `nullable`, the source writes `in:null,...`, which also admits the string "null". */
  | { rule: 'in'; values: readonly string[]; nullable?: boolean }
  | { rule: 'max'; size: number }
  | { rule: 'after_or_equal' | 'before_or_equal'; date: string }
  | { rule: 'regex'; pattern: RegExp };

const required: DsaRule = { rule: 'required' };
const nullable: DsaRule = { rule: 'nullable' };
const array: DsaRule = { rule: 'array' };
const string: DsaRule = { rule: 'string' };
const dateFormat: DsaRule = { rule: 'date_format' };
const url: DsaRule = { rule: 'url' };
const inList = (values: readonly string[], nullableList = false): DsaRule => ({ rule: 'in', values, nullable: nullableList });
const max = (size: number): DsaRule => ({ rule: 'max', size });
const requiredIf = (field: string, value: string): DsaRule => ({ rule: 'required_if', field, value });
const excludeUnless = (field: string, value: string): DsaRule => ({ rule: 'exclude_unless', field, value });
const requiredWithoutAll = (...fields: string[]): DsaRule => ({ rule: 'required_without_all', fields });
const afterOrEqual = (date: string): DsaRule => ({ rule: 'after_or_equal', date });
const beforeOrEqual = (date: string): DsaRule => ({ rule: 'before_or_equal', date });

// sanitizePayload decides these two from whether the array lists the "other" key.
const lists = (field: string, key: string) => (data: Data) => Array.isArray(data[field]) && data[field].includes(key);
const visibilityOther = lists('decision_visibility', 'DECISION_VISIBILITY_OTHER');
const contentTypeOther = lists('content_type', 'CONTENT_TYPE_OTHER');
const otherRules = (when: (data: Data) => boolean, label: string): DsaRule[] => [
  max(500),
  { rule: 'required_when', when, label },
  { rule: 'exclude_when', when: (data) => !when(data), label: `not ${label}` },
];

const ILLEGAL = 'DECISION_GROUND_ILLEGAL_CONTENT';
const INCOMPATIBLE = 'DECISION_GROUND_INCOMPATIBLE_CONTENT';
const endDate = [dateFormat, nullable, beforeOrEqual(DSA_DATE_BOUNDS.max)];

/** GroupedSubmissionsService::multi_rules, transcribed. */
export const DSA_RULES: Readonly<Record<string, readonly DsaRule[]>> = {
  decision_visibility: [array, inList(DSA_DECISION_VISIBILITIES, true), requiredWithoutAll('decision_monetary', 'decision_provision', 'decision_account'), nullable],
  decision_visibility_other: otherRules(visibilityOther, 'decision_visibility lists DECISION_VISIBILITY_OTHER'),
  decision_monetary: [inList(DSA_DECISION_MONETARIES, true), requiredWithoutAll('decision_visibility', 'decision_provision', 'decision_account'), nullable],
  decision_monetary_other: [requiredIf('decision_monetary', 'DECISION_MONETARY_OTHER'), excludeUnless('decision_monetary', 'DECISION_MONETARY_OTHER'), max(500)],
  decision_provision: [inList(DSA_DECISION_PROVISIONS, true), requiredWithoutAll('decision_visibility', 'decision_monetary', 'decision_account'), nullable],
  decision_account: [inList(DSA_DECISION_ACCOUNTS, true), requiredWithoutAll('decision_visibility', 'decision_monetary', 'decision_provision'), nullable],
  account_type: [inList(DSA_ACCOUNT_TYPES, true), nullable],
  category_specification: [array, inList(DSA_KEYWORDS, true), nullable],
  category_specification_other: [max(500)],
  decision_ground: [required, inList(DSA_DECISION_GROUNDS)],
  decision_ground_reference_url: [url, nullable, max(500)],
  illegal_content_legal_ground: [requiredIf('decision_ground', ILLEGAL), excludeUnless('decision_ground', ILLEGAL), max(500)],
  illegal_content_explanation: [requiredIf('decision_ground', ILLEGAL), excludeUnless('decision_ground', ILLEGAL), max(2000)],
  incompatible_content_ground: [requiredIf('decision_ground', INCOMPATIBLE), excludeUnless('decision_ground', INCOMPATIBLE), max(500)],
  incompatible_content_explanation: [requiredIf('decision_ground', INCOMPATIBLE), excludeUnless('decision_ground', INCOMPATIBLE), max(2000)],
  incompatible_content_illegal: [inList(DSA_YES_NO), excludeUnless('decision_ground', INCOMPATIBLE)],
  content_type: [array, required, inList(DSA_CONTENT_TYPES)],
  content_type_other: otherRules(contentTypeOther, 'content_type lists CONTENT_TYPE_OTHER'),
  category: [required, inList(DSA_CATEGORIES)],
  category_addition: [array, inList(DSA_CATEGORIES)],
  territorial_scope: [array, nullable, inList(DSA_EEA_COUNTRY_CODES)],
  content_language: [inList(DSA_LANGUAGE_CODES), nullable],
  content_date: [required, dateFormat, afterOrEqual(DSA_DATE_BOUNDS.contentDateMin), beforeOrEqual(DSA_DATE_BOUNDS.max)],
  application_date: [required, dateFormat, afterOrEqual(DSA_DATE_BOUNDS.applicationDateMin), beforeOrEqual(DSA_DATE_BOUNDS.max)],
  end_date_account_restriction: endDate,
  end_date_monetary_restriction: endDate,
  end_date_service_restriction: endDate,
  end_date_visibility_restriction: endDate,
  decision_facts: [required, max(5000)],
  source_type: [required, inList(DSA_SOURCE_TYPES)],
  source_identity: [max(500), nullable],
  automated_detection: [required, inList(DSA_YES_NO)],
  automated_decision: [required, inList(DSA_AUTOMATED_DECISIONS)],
  puid: [required, max(500), { rule: 'regex', pattern: /^[a-zA-Z0-9-_]+$/ }],
  content_id: [array, nullable],
  'content_id.EAN-13': [string, { rule: 'regex', pattern: /^[0-9]{13}$/ }],
};

/** Every problem the database would report for one statement; empty when it would take it. */
export function validateDsaStatement(input: unknown, rules: Readonly<Record<string, readonly DsaRule[]>> = DSA_RULES): DsaProblem[] {
  const statement = asReceived(input);
  if (!isPhpArray(statement)) return [{ field: '', rule: 'array', message: 'A statement must be an object.' }];
  const problems: DsaProblem[] = [];
  for (const [field, fieldRules] of Object.entries(rules)) {
    if (fieldRules.some((r) => excludes(r, statement))) continue;
    const present = has(statement, field);
    const value = get(statement, field);
    const isNullable = fieldRules.some((r) => r.rule === 'nullable');
    for (const r of fieldRules) {
      if (r.rule === 'nullable' || r.rule === 'exclude_unless' || r.rule === 'exclude_when') continue;
      // Laravel skips a rule that is not "implicit" for a missing or blank field, and for null when nullable.
      if (!isImplicit(r) && (!present || isBlankString(value) || (isNullable && value === null))) continue;
      const message = check(r, value, statement, fieldRules);
      if (message) problems.push({ field, rule: r.rule, message: `The ${field} field ${message}.` });
    }
  }
  return problems;
}

/** The batch endpoint's checks: statements required|array|between:1,100, each statement, and puids unique in the request. */
export function validateDsaBatch(payload: unknown): DsaProblem[] {
  const statements = isPhpArray(payload) ? payload.statements : undefined;
  if (!Array.isArray(statements) || statements.length === 0) {
    return [{ field: 'statements', rule: 'required', message: 'The statements field is required and must be a non-empty array.' }];
  }
  if (statements.length > DSA_BATCH_MAX) {
    return [{ field: 'statements', rule: 'between', message: `The statements field must have between 1 and ${DSA_BATCH_MAX} items.` }];
  }
  const problems = statements.flatMap((s, i) => validateDsaStatement(s).map((p) => ({ ...p, field: `statements.${i}${p.field ? `.${p.field}` : ''}` })));
  const seen = new Set<unknown>();
  statements.forEach((s, i) => {
    const puid = isPhpArray(s) ? asReceived(s.puid) : undefined;
    if (puid === undefined || puid === null) return;
    // PlatformUniqueIdService::checkDuplicatesInRequest refuses the whole request.
    if (seen.has(puid)) problems.push({ field: `statements.${i}.puid`, rule: 'puid_unique', message: `The puid ${String(puid)} is repeated in the request.` });
    seen.add(puid);
  });
  return problems;
}

/**
 * The request as the rules see it: the app's global middleware (TrimStrings,
 * ConvertEmptyStringsToNull in app/Http/Kernel.php) trims every string and
 * turns an empty one into null first, so lengths count the trimmed text.
 */
function asReceived(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.replace(/^[\s\uFEFF\u200B\u200E]+|[\s\uFEFF\u200B\u200E]+$/gu, '');
    return trimmed === '' ? null : trimmed;
  }
  if (Array.isArray(value)) return value.map(asReceived);
  if (isPhpArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asReceived(v)]));
  return value;
}

function isImplicit(r: DsaRule): boolean {
  return r.rule === 'required' || r.rule === 'required_if' || r.rule === 'required_without_all' || r.rule === 'required_when';
}

function excludes(r: DsaRule, data: Data): boolean {
  if (r.rule === 'exclude_unless') return phpString(get(data, r.field)) !== r.value;
  if (r.rule === 'exclude_when') return r.when(data);
  return false;
}

/** The failing rule's message tail, or null when it passes. */
function check(r: DsaRule, value: unknown, data: Data, fieldRules: readonly DsaRule[]): string | null {
  switch (r.rule) {
    case 'required':
      return filled(value) ? null : 'is required';
    case 'required_if':
      return phpString(get(data, r.field)) !== r.value || filled(value) ? null : `is required when ${r.field} is ${r.value}`;
    case 'required_without_all':
      return r.fields.some((f) => filled(get(data, f))) || filled(value) ? null : `is required when none of ${r.fields.join(', ')} are present`;
    case 'required_when':
      return !r.when(data) || filled(value) ? null : `is required when ${r.label}`;
    case 'array':
      return isPhpArray(value) ? null : 'must be an array';
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'in':
      return passesIn(r.values, r.nullable ?? false, value, fieldRules.some((f) => f.rule === 'array')) ? null : 'has a value that is not allowed';
    case 'max':
      return size(value) <= r.size ? null : `must not be greater than ${r.size} (characters or items)`;
    case 'date_format':
      return ymd(value) ? null : 'must match the format Y-m-d';
    case 'after_or_equal': {
      const date = ymd(value);
      return date !== null && date >= r.date ? null : `must be a date after or equal to ${r.date}`;
    }
    case 'before_or_equal': {
      const date = ymd(value);
      return date !== null && date <= r.date ? null : `must be a date before or equal to ${r.date}`;
    }
    case 'regex':
      return (typeof value === 'string' || typeof value === 'number') && r.pattern.test(String(value)) ? null : 'format is invalid';
    case 'url':
      return isUrl(value) ? null : 'must be a valid URL';
    default:
      return null;
  }
}

/**
 * Laravel's validateIn: under the `array` rule a list must hold only listed
 * scalars; otherwise the value must be a listed scalar (so a bare string passes
 * `in` on a list field, and only `array` refuses it).
 */
function passesIn(values: readonly string[], nullableList: boolean, value: unknown, isArrayField: boolean): boolean {
  const allowed = (v: unknown) => (nullableList && phpString(v) === 'null') || values.includes(phpString(v) ?? '');
  if (isPhpArray(value)) {
    if (!isArrayField) return false;
    const elements = Object.values(value);
    return elements.every((e) => !isPhpArray(e) && allowed(e));
  }
  return allowed(value);
}

/** Laravel's validateRequired. */
function filled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (isPhpArray(value)) return Object.keys(value).length > 0;
  return true;
}

/** Laravel's getSize without numeric rules: items of an array, else characters (mb_strlen) of the string form. */
function size(value: unknown): number {
  if (isPhpArray(value)) return Object.keys(value).length;
  return Array.from(phpString(value) ?? '').length;
}

/** The date of a strict Y-m-d string that names a real day (Laravel re-formats the parse and compares), else null. */
function ymd(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? value : null;
}

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    const parsed = new URL(value);
    return parsed.protocol.length > 1 && parsed.host.length > 0;
  } catch {
    return false;
  }
}

/** PHP's (string) cast of a scalar; null for arrays and objects. */
function phpString(value: unknown): string | null {
  if (value === null || value === undefined || value === false) return '';
  if (value === true) return '1';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return null;
}

/** What json_decode makes a PHP array: a JSON array or object. */
function isPhpArray(value: unknown): value is Data {
  return typeof value === 'object' && value !== null;
}

function isBlankString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === '';
}

/** Laravel's dot notation: content_id.EAN-13 is the EAN-13 key inside content_id. */
function get(data: Data, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isPhpArray(v) ? v[key] : undefined), data);
}

function has(data: Data, path: string): boolean {
  const keys = path.split('.');
  let v: unknown = data;
  for (const key of keys) {
    if (!isPhpArray(v) || !(key in v)) return false;
    v = v[key];
  }
  return true;
}
