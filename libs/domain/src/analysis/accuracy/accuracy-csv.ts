/*
 * CSV exports of the accuracy report and of training packs: one table per
 * file, a header first, RFC 4180 quoting (reasons and notes hold commas,
 * quotes and line breaks), rates to four decimals, empty for "none".
 */
import type { AccuracyFigures } from './accuracy-report';

export type AccuracyTable = 'moderators' | 'pairs' | 'queues' | 'weakest';
export const ACCURACY_TABLES: readonly AccuracyTable[] = ['moderators', 'pairs', 'queues', 'weakest'];

type Cell = string | number | boolean | null | undefined;

function cellOf(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(4) : String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheets: quoted and prefixed with '.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A table as CSV: the header, then the rows. */
export function accuracyCsvTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header.map(cellOf).join(','), ...rows.map((row) => row.map(cellOf).join(','))].join('\n') + '\n';
}

/** One table of the report as CSV. */
export function accuracyCsv(figures: AccuracyFigures, table: AccuracyTable = 'moderators'): string {
  switch (table) {
    case 'moderators':
      return accuracyCsvTable(
        ['moderatorId', 'name', 'team', 'policyId', 'goldReviews', 'goldCorrect', 'goldAccuracy', 'goldLower95', 'goldUpper95', 'estimatedLabels', 'estimatedSensitivity', 'estimatedSpecificity', 'estimatedAccuracy', 'observedDecisions', 'observedCorrect', 'observedAccuracy', 'weightedJudgements', 'weightedAccuracy', 'weightedLower95', 'weightedUpper95'],
        figures.moderators.map((r) => [
          r.moderatorId, r.name, r.team, r.policyId,
          r.gold?.reviews, r.gold?.correct, r.gold?.accuracy, r.gold?.interval.lower, r.gold?.interval.upper,
          r.estimated?.labels, r.estimated?.sensitivity, r.estimated?.specificity, r.estimated?.accuracy,
          r.observed?.decisions, r.observed?.correct, r.observed?.accuracy,
          r.weighted?.judgements, r.weighted?.accuracy, r.weighted?.interval.lower, r.weighted?.interval.upper,
        ]),
      );
    case 'pairs':
      return accuracyCsvTable(['policyId', 'moderatorA', 'moderatorB', 'sharedItems', 'observedAgreement', 'kappa'], figures.pairs.map((p) => [p.policyId, p.moderatorA, p.moderatorB, p.sharedItems, p.observedAgreement, p.kappa]));
    case 'queues':
      return accuracyCsvTable(['queueId', 'policyId', 'items', 'ratings', 'observedAgreement', 'kappa'], figures.queues.map((q) => [q.queueId, q.policyId, q.items, q.ratings, q.observedAgreement, q.kappa]));
    case 'weakest':
      return accuracyCsvTable(
        ['team', 'policyId', 'nuance', 'decisions', 'correct', 'accuracy', 'lower95', 'upper95', 'moderators'],
        figures.weakest.map((c) => [c.team, c.policyId, c.nuance, c.decisions, c.correct, c.accuracy, c.interval.lower, c.interval.upper, c.moderators]),
      );
  }
}
