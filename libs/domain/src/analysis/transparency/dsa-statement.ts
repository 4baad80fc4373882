/*
 * A Loupe removal as a DSA statement of reasons (Article 17 DSA), in the shape
 * the Transparency Database's API takes (see dsa-vocabulary.ts for the source).
 * Pure: the caller reads the removal, its policies and its case; this builds
 * the JSON. The choices (ground, territorial scope, automation) are explained
 * in docs/decisions.md, "EU DSA statements of reasons".
 */
import type { CaseSource, ContentKind } from '@loupe/vocabulary';
import { DEFAULT_DSA_CATEGORIES, DsaCategoryMap, dsaCategoriesFor } from './dsa-categories';
import {
  DSA_EEA_COUNTRY_CODES,
  DSA_LANGUAGE_CODES,
  DSA_MAX,
  DsaAccountType,
  DsaAutomatedDecision,
  DsaCategory,
  DsaContentType,
  DsaCountryCode,
  DsaDecisionAccount,
  DsaDecisionGround,
  DsaDecisionMonetary,
  DsaDecisionProvision,
  DsaDecisionVisibility,
  DsaKeyword,
  DsaLanguageCode,
  DsaSourceType,
  DsaYesNo,
} from './dsa-vocabulary';

/** One statement of reasons as the API takes it: values are the vocabulary's keys, dates Y-m-d. */
export interface DsaStatement {
  decision_visibility?: DsaDecisionVisibility[] | null;
  decision_visibility_other?: string;
  decision_monetary?: DsaDecisionMonetary | null;
  decision_monetary_other?: string;
  decision_provision?: DsaDecisionProvision | null;
  decision_account?: DsaDecisionAccount | null;
  account_type?: DsaAccountType | null;
  category_specification?: DsaKeyword[] | null;
  category_specification_other?: string;
  decision_ground: DsaDecisionGround;
  decision_ground_reference_url?: string | null;
  illegal_content_legal_ground?: string;
  illegal_content_explanation?: string;
  incompatible_content_ground?: string;
  incompatible_content_explanation?: string;
  incompatible_content_illegal?: DsaYesNo;
  content_type: DsaContentType[];
  content_type_other?: string;
  category: DsaCategory;
  category_addition?: DsaCategory[];
  territorial_scope?: DsaCountryCode[] | null;
  content_language?: DsaLanguageCode | null;
  content_date: string;
  application_date: string;
  end_date_account_restriction?: string | null;
  end_date_monetary_restriction?: string | null;
  end_date_service_restriction?: string | null;
  end_date_visibility_restriction?: string | null;
  decision_facts: string;
  source_type: DsaSourceType;
  source_identity?: string | null;
  automated_detection: DsaYesNo;
  automated_decision: DsaAutomatedDecision;
  puid: string;
  content_id?: { 'EAN-13'?: string } | null;
}

/** Which kind of notice a user report was; Loupe's reports are "other" unless the platform says so. */
export type DsaNoticeKind = 'article_16' | 'trusted_flagger' | 'other';

/**
 * What brought a human decision about. An appeal's outcome is not a new
 * restriction (the item was already removed, and its statement sent), and gold
 * items are calibration, not cases: neither gets a statement, so neither is
 * accepted here.
 */
export type DsaCaseSource = Exclude<CaseSource, 'appeal' | 'gold'>;

/** Who decided: a bank match, a model, or a moderator on a case of some source. */
export type DsaDecidedBy =
  | { source: 'hash' }
  | { source: 'model' }
  | { source: 'human'; caseSource: DsaCaseSource; notice?: DsaNoticeKind };

/** Loupe's policies are terms of service; a platform may still report a removal as illegal content. */
export type DsaGroundInput =
  | { kind: 'terms'; alsoIllegal?: boolean }
  | { kind: 'illegal'; legalGround: string; explanation: string };

export interface DsaPolicyRef {
  id: string;
  title: string;
  description?: string;
}

/** A removal, as the export reads it from the content, its removal decision and the catalog. */
export interface DsaRemoval {
  /** The content's id: the puid. Loupe's are UUIDs, which the puid pattern accepts. */
  contentId: string;
  contentKind: ContentKind;
  /** When the platform started hosting it (content_date): Loupe's received time is the upload's. */
  contentCreatedAt: Date;
  /** When the removal was decided (application_date). */
  decidedAt: Date;
  decidedBy: DsaDecidedBy;
  /** The decision's policies, the one that decided first. */
  policies: readonly DsaPolicyRef[];
  /** ISO 3166-1 alpha-2, the uploader's region. It does not narrow territorial_scope: see isEeaRegion. */
  region: string;
  /** BCP 47; its language subtag becomes content_language when the database knows it. */
  language?: string;
  /** The facts and circumstances (decision_facts). No personal data: the database is public. */
  facts: string;
  /** Defaults to terms of service. */
  ground?: DsaGroundInput;
  accountType?: 'business' | 'private';
}

export interface DsaBuildOptions {
  /** Policy id → category; the catalog's, once it holds them. */
  categories?: DsaCategoryMap;
  /** The public terms of service (decision_ground_reference_url). */
  termsUrl?: string;
}

const CONTENT_TYPES: Record<ContentKind, DsaContentType> = {
  image: 'CONTENT_TYPE_IMAGE',
  video: 'CONTENT_TYPE_VIDEO',
};

const NOTICE_SOURCE_TYPES: Record<DsaNoticeKind, DsaSourceType> = {
  article_16: 'SOURCE_ARTICLE_16',
  trusted_flagger: 'SOURCE_TRUSTED_FLAGGER',
  other: 'SOURCE_TYPE_OTHER_NOTIFICATION',
};

/**
 * Whether automated means found the item, per case source. A Record, so a new
 * case source does not compile until someone decides how it is reported.
 */
const CASE_DETECTION: Record<DsaCaseSource, { detection: DsaYesNo; notice: boolean }> = {
  model: { detection: 'Yes', notice: false },
  hash: { detection: 'Yes', notice: false },
  // Reach sampling is automated: it picked the item, though not for a suspected violation.
  virality: { detection: 'Yes', notice: false },
  report: { detection: 'No', notice: true },
  // A quality sample is drawn by chance from what the model allowed: nothing automated identified the
  // content, a moderator found the violation.
  sample: { detection: 'No', notice: false },
  // Held by a trend watch: automated trend detection named the term, and a rule matched the upload on it.
  trend: { detection: 'Yes', notice: false },
};

export interface DsaAutomation {
  automated_detection: DsaYesNo;
  automated_decision: DsaAutomatedDecision;
  source_type: DsaSourceType;
}

/**
 * Bank matches and models find and decide alone: fully automated, own
 * initiative. A moderator's decision is not automated, whatever routed the item
 * to them: the database's automated_decision is about the decision only, and
 * automated_detection already says a model or bank found it.
 */
export function dsaAutomation(decidedBy: DsaDecidedBy): DsaAutomation {
  if (decidedBy.source !== 'human') {
    return { automated_detection: 'Yes', automated_decision: 'AUTOMATED_DECISION_FULLY', source_type: 'SOURCE_VOLUNTARY' };
  }
  const { detection, notice } = CASE_DETECTION[decidedBy.caseSource];
  return {
    automated_detection: detection,
    automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED',
    source_type: notice ? NOTICE_SOURCE_TYPES[decidedBy.notice ?? 'other'] : 'SOURCE_VOLUNTARY',
  };
}

const EEA = new Set<string>(DSA_EEA_COUNTRY_CODES);
const LANGUAGES = new Set<string>(DSA_LANGUAGE_CODES);

/** Whether a region is one the database accepts in territorial_scope (the EEA). */
export function isEeaRegion(region: string): boolean {
  return EEA.has(region.toUpperCase());
}

/** The content_language for a BCP 47 tag, or undefined when the database does not list it. */
export function dsaLanguage(tag: string | undefined): DsaLanguageCode | undefined {
  const primary = tag?.split('-')[0].toUpperCase();
  return primary && LANGUAGES.has(primary) ? (primary as DsaLanguageCode) : undefined;
}

/** Y-m-d in UTC, the format of every date the API takes. */
export function dsaDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Builds the statement of reasons for one removal. It passes validateDsaStatement
 * whenever the dates are within the database's bounds (content from 2000, decisions
 * from 2020) and the content id fits the puid pattern, as Loupe's UUIDs do.
 */
export function buildDsaStatement(removal: DsaRemoval, options: DsaBuildOptions = {}): DsaStatement {
  const { category, additions, specifications } = dsaCategoriesFor(
    removal.policies.map((p) => p.id),
    options.categories ?? DEFAULT_DSA_CATEGORIES,
  );
  const facts = clip(removal.facts.trim() || defaultFacts(removal), DSA_MAX.facts);
  const statement: DsaStatement = {
    decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'],
    ...groundFields(removal, facts),
    content_type: [CONTENT_TYPES[removal.contentKind]],
    category,
    // A removal takes the item down everywhere, so it is restricted in every EEA state,
    // wherever it was uploaded from (docs/decisions.md).
    territorial_scope: [...DSA_EEA_COUNTRY_CODES],
    content_date: dsaDate(removal.contentCreatedAt),
    application_date: dsaDate(removal.decidedAt),
    decision_facts: facts,
    ...dsaAutomation(removal.decidedBy),
    puid: removal.contentId,
  };
  // Optional fields are left out rather than sent as null: `in:` rules without
  // `nullable` (incompatible_content_illegal) refuse a null.
  if (additions.length > 0) statement.category_addition = additions;
  if (specifications.length > 0) statement.category_specification = specifications;
  const language = dsaLanguage(removal.language);
  if (language) statement.content_language = language;
  if (removal.accountType) statement.account_type = removal.accountType === 'business' ? 'ACCOUNT_TYPE_BUSINESS' : 'ACCOUNT_TYPE_PRIVATE';
  if (options.termsUrl) statement.decision_ground_reference_url = options.termsUrl;
  return statement;
}

type GroundFields = Pick<
  DsaStatement,
  | 'decision_ground'
  | 'illegal_content_legal_ground'
  | 'illegal_content_explanation'
  | 'incompatible_content_ground'
  | 'incompatible_content_explanation'
  | 'incompatible_content_illegal'
>;

function groundFields(removal: DsaRemoval, facts: string): GroundFields {
  const ground = removal.ground ?? { kind: 'terms' };
  if (ground.kind === 'illegal') {
    return {
      decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
      illegal_content_legal_ground: clip(ground.legalGround.trim() || 'Not stated', DSA_MAX.short),
      illegal_content_explanation: clip(ground.explanation.trim() || facts, DSA_MAX.explanation),
    };
  }
  const policies = removal.policies;
  const reference = policies.length > 0 ? `Terms of service, ${policies.map((p) => `${p.title} (${p.id})`).join('; ')}` : 'Terms of service';
  const described = policies.filter((p) => p.description?.trim()).map((p) => `${p.title}: ${p.description!.trim()}`);
  const fields: GroundFields = {
    decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
    incompatible_content_ground: clip(reference, DSA_MAX.short),
    incompatible_content_explanation: clip(described.length > 0 ? described.join(' ') : facts, DSA_MAX.explanation),
  };
  if (ground.alsoIllegal !== undefined) fields.incompatible_content_illegal = ground.alsoIllegal ? 'Yes' : 'No';
  return fields;
}

function defaultFacts(removal: DsaRemoval): string {
  const by = { hash: 'a match against a bank of removed media', model: 'an automated classifier', human: 'a moderator' }[removal.decidedBy.source];
  const policies = removal.policies.map((p) => p.title).join('; ') || 'the terms of service';
  return `The ${removal.contentKind} was removed by ${by} under: ${policies}.`;
}

/** Cuts text to `max` characters (code points, as mb_strlen counts), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
