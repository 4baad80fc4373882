/* What a content item is, where it stands, and what was decided about it. */

export const CONTENT_KINDS = ['image', 'video'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** received → processing → removed | in_review | allowed | failed; a human decision settles in_review. */
export const CONTENT_STATUSES = ['received', 'processing', 'removed', 'in_review', 'allowed', 'failed'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

export const SIGNAL_TYPES = ['pdq', 'vpdq'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export const OUTCOMES = ['removed', 'in_review', 'allowed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** rule: an analyst's rule held it (a trend watch), before any model or person judged it. */
export const DECISION_SOURCES = ['hash', 'model', 'human', 'rule'] as const;
export type DecisionSource = (typeof DECISION_SOURCES)[number];
