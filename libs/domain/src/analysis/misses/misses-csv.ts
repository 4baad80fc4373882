import type { MissedItem } from './misses.types';

export const MISSES_COLUMNS = [
  'contentId',
  'policyId',
  'kind',
  'region',
  'language',
  'allowedBy',
  'allowedAt',
  'confirmedBy',
  'confirmedAt',
  'removedAt',
  'cause',
  'score',
  'scoreBand',
  'modelVersion',
  'reviewThreshold',
  'viewsBeforeRemoval',
  'secondsToRemoval',
  'evidence',
] as const;

/**
 * RFC 4180: a cell with a comma, quote or line break is quoted, quotes
 * doubled. A cell a spreadsheet would read as a formula (=, +, -, @ first)
 * gets a leading apostrophe: region and language come from the platform.
 */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The missed items, one row each, a header first; the evidence as JSON in the last column. */
export function missesCsv(items: MissedItem[]): string {
  const lines = items.map((m) =>
    [
      m.contentId,
      m.policyId,
      m.kind,
      m.region,
      m.language,
      m.allowed.by,
      m.allowed.at,
      m.confirmedBy,
      m.confirmedAt,
      m.removedAt,
      m.cause,
      m.arrival.score,
      m.scoreBand,
      m.arrival.modelVersion,
      m.arrival.reviewThreshold,
      m.viewsBeforeRemoval,
      m.secondsToRemoval,
      m.evidence,
    ]
      .map(csvCell)
      .join(','),
  );
  return [MISSES_COLUMNS.join(','), ...lines].join('\n') + '\n';
}
