import { Injectable } from '@nestjs/common';
import { AccuracyRepository, ModeratorRepository, ReviewFilter, SettledLabelRecord } from '@loupe/database';
import { parseReportPeriod } from '../transparency/report-period';
import { AccuracyFigures, accuracyFigures } from './accuracy-report';
import { estimatePolicies, EstimatedLabel, Judgement, judgementsOf, PolicyEstimate, ScoredJudgement, scoreJudgements } from './judgements';

/** The period a report covers; both ends null for all time. */
export interface AccuracyPeriod {
  label: string | null;
  from: Date | null;
  to: Date | null;
}

export interface AccuracyQuery {
  /** A day, ISO week, month or quarter (as transparency reports); absent for all time. */
  period?: string;
  policyId?: string;
  team?: string;
}

export interface AccuracyReport extends AccuracyFigures {
  period: AccuracyPeriod;
}

/** Everything the statistics are computed from, for one filter. */
export interface Evaluation {
  judgements: Judgement[];
  settled: SettledLabelRecord[];
  estimates: Map<string, PolicyEstimate>;
  scored: ScoredJudgement[];
}

/**
 * Moderator accuracy from Loupe's own records: gold accuracy with Wilson
 * intervals, Dawid–Skene's confusion matrices and true labels from every
 * overlapping review, agreement (Cohen's kappa per pair, Fleiss' per queue),
 * and where accuracy is lowest per team, policy and nuance.
 *
 * Without a period, a report covers all time: Dawid–Skene and kappa need
 * moderators' reviews to overlap, and a month of a small team rarely gives
 * enough of them; an analyst narrows it with a period.
 */
@Injectable()
export class AccuracyService {
  constructor(
    private readonly records: AccuracyRepository,
    private readonly moderators: ModeratorRepository,
  ) {}

  async report(query: AccuracyQuery = {}): Promise<AccuracyReport> {
    const period = periodOf(query.period);
    const [evaluation, moderators] = await Promise.all([this.evaluate(filterOf(period, query.policyId)), this.moderators.listModerators()]);
    const figures = accuracyFigures(evaluation.judgements, evaluation.scored, evaluation.estimates, moderators, { team: query.team });
    return { period, ...figures };
  }

  /** Dawid–Skene's estimated true label of each item reviewed, per policy, by content id then policy. */
  async estimatedLabels(query: Omit<AccuracyQuery, 'team'> = {}): Promise<{ period: AccuracyPeriod; items: EstimatedLabel[] }> {
    const period = periodOf(query.period);
    const judgements = judgementsOf(await this.records.reviews(filterOf(period, query.policyId)), query.policyId);
    const items = [...estimatePolicies(judgements).values()].flatMap((e) => [...e.items.values()]);
    items.sort((a, b) => (a.contentId < b.contentId ? -1 : a.contentId > b.contentId ? 1 : a.policyId < b.policyId ? -1 : 1));
    return { period, items };
  }

  /** Judgements under the filter, scored against gold, the label that stands, or the estimate. */
  async evaluate(filter: ReviewFilter): Promise<Evaluation> {
    const [reviews, settled] = await Promise.all([this.records.reviews(filter), this.records.settledLabels(filter)]);
    const judgements = judgementsOf(reviews, filter.policyId);
    const estimates = estimatePolicies(judgements);
    return { judgements, settled, estimates, scored: scoreJudgements(judgements, settled, estimates) };
  }
}

/** Parses the period (400 analysis.invalid_period naming the field); all time when absent. */
export function periodOf(text: string | undefined, field = 'period'): AccuracyPeriod {
  if (text === undefined || text === '') return { label: null, from: null, to: null };
  const period = parseReportPeriod(text, field);
  return { label: period.label, from: period.from, to: period.to };
}

export function filterOf(period: AccuracyPeriod, policyId?: string): ReviewFilter {
  return { from: period.from ?? undefined, to: period.to ?? undefined, policyId };
}
