/*
 * The value lists the DSA Transparency Database validates statements of reasons
 * against, transcribed from digital-services-act/transparency-database at commit
 * 69e80a0bc8eb3cbfbe8246e898194c3bdf490a4b (2026-06-24; the rule files last
 * changed in bf0afeb80380ebcec57252c2d1a4e0ef5c16a9b0, 2026-06-09):
 *
 *   app/Models/Statement.php                      the constant maps; the API takes their KEYS
 *                                                 (except automated_detection and
 *                                                 incompatible_content_illegal, plain lists)
 *   app/Services/EuropeanCountriesService.php     EUROPEAN_COUNTRY_CODES (territorial_scope)
 *   app/Services/EuropeanLanguagesService.php     ALL_LANGUAGES keys (content_language)
 *   app/Services/GroupedSubmissionsService.php    multi_rules: the batch endpoint's rules
 *   app/Http/Controllers/Api/v1/StatementMultipleAPIController.php   statements: between:1,100
 *
 * Only the lists the rules use are here. Constants that exist in the model but
 * not in its lists (KEYWORD_DANGEROUS_TOYS) are refused by the database, so they
 * are left out too. When the database changes its schema (it did on 1 July 2025),
 * update this file from the new commit and the validator's specs will say what broke.
 */

export const DSA_SOURCE_COMMIT = '69e80a0bc8eb3cbfbe8246e898194c3bdf490a4b';

/** POST /api/v1/statements takes {statements: [...]}, 1 to 100 of them. */
export const DSA_BATCH_MAX = 100;
export const DSA_BATCH_PATH = '/api/v1/statements';

export const DSA_DECISION_VISIBILITIES = [
  'DECISION_VISIBILITY_CONTENT_REMOVED',
  'DECISION_VISIBILITY_CONTENT_DISABLED',
  'DECISION_VISIBILITY_CONTENT_DEMOTED',
  'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_LABELLED',
  'DECISION_VISIBILITY_OTHER',
] as const;
export type DsaDecisionVisibility = (typeof DSA_DECISION_VISIBILITIES)[number];

export const DSA_DECISION_MONETARIES = ['DECISION_MONETARY_SUSPENSION', 'DECISION_MONETARY_TERMINATION', 'DECISION_MONETARY_OTHER'] as const;
export type DsaDecisionMonetary = (typeof DSA_DECISION_MONETARIES)[number];

export const DSA_DECISION_PROVISIONS = [
  'DECISION_PROVISION_PARTIAL_SUSPENSION',
  'DECISION_PROVISION_TOTAL_SUSPENSION',
  'DECISION_PROVISION_PARTIAL_TERMINATION',
  'DECISION_PROVISION_TOTAL_TERMINATION',
] as const;
export type DsaDecisionProvision = (typeof DSA_DECISION_PROVISIONS)[number];

export const DSA_DECISION_ACCOUNTS = ['DECISION_ACCOUNT_SUSPENDED', 'DECISION_ACCOUNT_TERMINATED'] as const;
export type DsaDecisionAccount = (typeof DSA_DECISION_ACCOUNTS)[number];

export const DSA_ACCOUNT_TYPES = ['ACCOUNT_TYPE_BUSINESS', 'ACCOUNT_TYPE_PRIVATE'] as const;
export type DsaAccountType = (typeof DSA_ACCOUNT_TYPES)[number];

export const DSA_DECISION_GROUNDS = ['DECISION_GROUND_ILLEGAL_CONTENT', 'DECISION_GROUND_INCOMPATIBLE_CONTENT'] as const;
export type DsaDecisionGround = (typeof DSA_DECISION_GROUNDS)[number];

/** Values, not keys: `in:Yes,No`. */
export const DSA_YES_NO = ['Yes', 'No'] as const;
export type DsaYesNo = (typeof DSA_YES_NO)[number];

export const DSA_CONTENT_TYPES = [
  'CONTENT_TYPE_APP',
  'CONTENT_TYPE_AUDIO',
  'CONTENT_TYPE_IMAGE',
  'CONTENT_TYPE_PRODUCT',
  'CONTENT_TYPE_SYNTHETIC_MEDIA',
  'CONTENT_TYPE_TEXT',
  'CONTENT_TYPE_VIDEO',
  'CONTENT_TYPE_OTHER',
] as const;
export type DsaContentType = (typeof DSA_CONTENT_TYPES)[number];

export const DSA_CATEGORIES = [
  'STATEMENT_CATEGORY_ANIMAL_WELFARE',
  'STATEMENT_CATEGORY_CONSUMER_INFORMATION',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN',
  'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS',
  'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
  'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS',
  'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
  'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE',
  'STATEMENT_CATEGORY_OTHER_VIOLATION_TC',
  'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
  'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
  'STATEMENT_CATEGORY_SCAMS_AND_FRAUD',
  'STATEMENT_CATEGORY_SELF_HARM',
  'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS',
  'STATEMENT_CATEGORY_VIOLENCE',
] as const;
export type DsaCategory = (typeof DSA_CATEGORIES)[number];

/** category_specification (Statement::KEYWORDS). */
export const DSA_KEYWORDS = [
  'KEYWORD_ADULT_SEXUAL_MATERIAL',
  'KEYWORD_AGE_SPECIFIC_RESTRICTIONS',
  'KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS',
  'KEYWORD_ANIMAL_HARM',
  'KEYWORD_BIOMETRIC_DATA_BREACH',
  'KEYWORD_BULLYING_AGAINST_GIRLS',
  'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL',
  'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE',
  'KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS',
  'KEYWORD_COORDINATED_HARM',
  'KEYWORD_COPYRIGHT_INFRINGEMENT',
  'KEYWORD_CYBER_BULLYING_INTIMIDATION',
  'KEYWORD_CYBER_HARASSMENT',
  'KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN',
  'KEYWORD_CYBER_INCITEMENT',
  'KEYWORD_CYBER_STALKING',
  'KEYWORD_CYBER_STALKING_AGAINST_WOMEN',
  'KEYWORD_DATA_FALSIFICATION',
  'KEYWORD_DEFAMATION',
  'KEYWORD_DESIGN_INFRINGEMENT',
  'KEYWORD_DISCRIMINATION',
  'KEYWORD_FEMALE_GENDERED_DISINFORMATION',
  'KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT',
  'KEYWORD_GEOGRAPHICAL_REQUIREMENTS',
  'KEYWORD_GOODS_SERVICES_NOT_PERMITTED',
  'KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS',
  'KEYWORD_HATE_SPEECH',
  'KEYWORD_HIDDEN_ADVERTISEMENT',
  'KEYWORD_HUMAN_EXPLOITATION',
  'KEYWORD_HUMAN_TRAFFICKING',
  'KEYWORD_ILLEGAL_ORGANIZATIONS',
  'KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING',
  'KEYWORD_INAUTHENTIC_ACCOUNTS',
  'KEYWORD_INAUTHENTIC_LISTINGS',
  'KEYWORD_INAUTHENTIC_USER_REVIEWS',
  'KEYWORD_INCITEMENT_AGAINST_WOMEN',
  'KEYWORD_INCITEMENT_VIOLENCE_HATRED',
  'KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS',
  'KEYWORD_LANGUAGE_REQUIREMENTS',
  'KEYWORD_MISINFORMATION_DISINFORMATION',
  'KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS',
  'KEYWORD_MISLEADING_INFO_GOODS_SERVICES',
  'KEYWORD_MISSING_PROCESSING_GROUND',
  'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING',
  'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN',
  'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE',
  'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN',
  'KEYWORD_NONCOMPLIANCE_PRICING',
  'KEYWORD_NUDITY',
  'KEYWORD_PATENT_INFRINGEMENT',
  'KEYWORD_PHISHING',
  'KEYWORD_PROHIBITED_PRODUCTS',
  'KEYWORD_PYRAMID_SCHEMES',
  'KEYWORD_RIGHT_TO_BE_FORGOTTEN',
  'KEYWORD_RISK_ENVIRONMENTAL_DAMAGE',
  'KEYWORD_RISK_PUBLIC_HEALTH',
  'KEYWORD_SELF_MUTILATION',
  'KEYWORD_STALKING',
  'KEYWORD_SUICIDE',
  'KEYWORD_TERRORIST_CONTENT',
  'KEYWORD_TRADE_SECRET_INFRINGEMENT',
  'KEYWORD_TRADEMARK_INFRINGEMENT',
  'KEYWORD_TRAFFICKING_WOMEN_GIRLS',
  'KEYWORD_UNLAWFUL_SALE_ANIMALS',
  'KEYWORD_UNSAFE_CHALLENGES',
  'KEYWORD_UNSAFE_PRODUCTS',
  'KEYWORD_VIOLATION_EU_LAW',
  'KEYWORD_VIOLATION_NATIONAL_LAW',
  'KEYWORD_OTHER',
] as const;
export type DsaKeyword = (typeof DSA_KEYWORDS)[number];

export const DSA_SOURCE_TYPES = ['SOURCE_ARTICLE_16', 'SOURCE_TRUSTED_FLAGGER', 'SOURCE_TYPE_OTHER_NOTIFICATION', 'SOURCE_VOLUNTARY'] as const;
export type DsaSourceType = (typeof DSA_SOURCE_TYPES)[number];

export const DSA_AUTOMATED_DECISIONS = ['AUTOMATED_DECISION_FULLY', 'AUTOMATED_DECISION_PARTIALLY', 'AUTOMATED_DECISION_NOT_AUTOMATED'] as const;
export type DsaAutomatedDecision = (typeof DSA_AUTOMATED_DECISIONS)[number];

/**
 * territorial_scope: EUROPEAN_COUNTRY_CODES, the EU 27 plus Iceland, Liechtenstein
 * and Norway (the EEA). Greece is GR here (ISO 3166-1), not the EU's EL.
 */
export const DSA_EEA_COUNTRY_CODES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE',
  'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
] as const;
export type DsaCountryCode = (typeof DSA_EEA_COUNTRY_CODES)[number];

/** content_language: EuropeanLanguagesService::ALL_LANGUAGES keys, upper-case ISO 639-1. */
export const DSA_LANGUAGE_CODES = [
  'AB', 'AA', 'AF', 'AK', 'SQ', 'AM', 'AR', 'AN', 'HY', 'AS', 'AV', 'AE', 'AY', 'AZ', 'BM', 'BA', 'EU', 'BE', 'BN', 'BH',
  'BI', 'BS', 'BR', 'BG', 'MY', 'CA', 'KM', 'CH', 'CE', 'NY', 'ZH', 'CU', 'CV', 'KW', 'CO', 'CR', 'HR', 'CS', 'DA', 'DV',
  'NL', 'DZ', 'EN', 'EO', 'ET', 'EE', 'FO', 'FJ', 'FI', 'FR', 'FF', 'GD', 'GL', 'LG', 'KA', 'DE', 'KI', 'EL', 'KL', 'GN',
  'GU', 'HT', 'HA', 'HE', 'HZ', 'HI', 'HO', 'HU', 'IS', 'IO', 'IG', 'ID', 'IA', 'IE', 'IU', 'IK', 'GA', 'IT', 'JA', 'JV',
  'KN', 'KR', 'KS', 'KK', 'RW', 'KV', 'KG', 'KO', 'KJ', 'KU', 'KY', 'LO', 'LA', 'LV', 'LB', 'LI', 'LN', 'LT', 'LU', 'MK',
  'MG', 'MS', 'ML', 'MT', 'GV', 'MI', 'MR', 'MH', 'RO', 'MN', 'NA', 'NV', 'ND', 'NG', 'NE', 'SE', 'NO', 'NB', 'NN', 'II',
  'OC', 'OJ', 'OR', 'OM', 'OS', 'PI', 'PA', 'PS', 'FA', 'PL', 'PT', 'QU', 'RM', 'RN', 'RU', 'SM', 'SG', 'SA', 'SC', 'SR',
  'SN', 'SD', 'SI', 'SK', 'SL', 'SO', 'ST', 'NR', 'ES', 'SU', 'SW', 'SS', 'SV', 'TL', 'TY', 'TG', 'TA', 'TT', 'TE', 'TH',
  'BO', 'TI', 'TO', 'TS', 'TN', 'TR', 'TK', 'TW', 'UG', 'UK', 'UR', 'UZ', 'VE', 'VI', 'VO', 'WA', 'CY', 'FY', 'WO', 'XH',
  'YI', 'YO', 'ZA', 'ZU',
] as const;
export type DsaLanguageCode = (typeof DSA_LANGUAGE_CODES)[number];

/** Text limits (max:N, counted in characters as PHP's mb_strlen does). */
export const DSA_MAX = {
  short: 500, // *_other, *_ground, source_identity, puid, decision_ground_reference_url
  explanation: 2000, // illegal_content_explanation, incompatible_content_explanation
  facts: 5000, // decision_facts
} as const;

/** Date bounds of the rules, inclusive (Y-m-d). */
export const DSA_DATE_BOUNDS = {
  contentDateMin: '2000-01-01',
  applicationDateMin: '2020-01-01',
  max: '2038-01-01',
} as const;
