/**
 * The targets of issue 12, evaluated from the figures and from what Loupe
 * answered: met / not met / not yet measured, each with why.
 */
import type { Figures } from './figures';
import { num, pct } from './format';

export interface RunInfo {
  url: string;
  startedLoupe: boolean;
  startedAt: string;
  /** The wall time of simulated 0: the event times sent to Loupe (postedAt, reportedAt, observedAt) are it plus the simulated time. */
  epoch: string;
  realSeconds: number;
  /** Real seconds in each phase of the steps, summed over the run (the history's are apart). */
  phaseSeconds?: Record<string, number>;
  command: string;
  /** What Loupe's own analyses said, where the simulator asked (null: not asked yet). */
  loupe: {
    /** Loupe's term-burst alerts from the hourly scans as of each simulated hour. */
    trendAlert: { flagged: boolean; flaggedAtSimHour: number | null; burstFromSimHour: number | null; otherTerms: string[]; scans: number; note: string } | null;
    /** GET /v1/analysis/accuracy, per simulated moderator and policy: Dawid–Skene's estimate, the observed accuracy, and the weighted one. */
    accuracy: { name: string; policyId: string; estimated: number | null; observed: number | null; weighted: number | null; decisions: number }[] | null;
    /** GET /v1/analysis/retro-hunts: the hunts Loupe ran during the run (after promotions and bank changes), oldest first, with their real duration. */
    retroHunts?: { trigger: string; status: string; total: number; done: number; found: number; realSeconds: number | null }[] | null;
  };
  errors: string[];
}

export type TargetStatus = 'met' | 'not met' | 'not yet measured';

export interface Target {
  target: string;
  value: string;
  status: TargetStatus;
  why: string;
}


/**
 * Moderator-policy cells smaller than this are left out of the accuracy
 * target: the standard error of an accuracy near 95% measured on n labels is
 * sqrt(0.95 * 0.05 / n), 2.2 points at 100, and 6.6 at the 11 labels a cell of
 * a rare policy gets in a day.
 */
export const MIN_ACCURACY_LABELS = 100;

export function evaluateTargets(figures: Figures, run: RunInfo): Target[] {
  const overall = figures.removal.overall;
  const share = overall.shareBeforeAnyView;
  const top = figures.missedBreakdown
    .slice(0, 4)
    .map((m) => `${m.category} ${m.count}${m.meanScore !== null ? ` (mean adult-nudity score ${m.meanScore.toFixed(2)})` : ''}`)
    .join(', ');
  const met = share !== null && share >= 0.95;
  const targets: Target[] = [
    {
      target: 'At least 95% of violating items removed before any view',
      value: `${pct(share)} (${overall.removedBeforeAnyView} of ${overall.violating})`,
      status: share === null ? 'not yet measured' : met ? 'met' : 'not met',
      why: met
        ? 'Hash banks and the model removed or held the violations before their first view.'
        : `${overall.missed} violations were seen before any removal, and ${overall.pending} were still held unseen at the end. The missed ones by kind: ${top || 'none'}. ` +
          (figures.learning.retrains.some((r) => r.promoted && r.at === 0)
            ? 'The day started with a model trained on the history (promoted at simulated hour 0); the trend has no model until a retrain learns it from the day\'s labels, so until then it is caught only once users report it, after views' +
              (figures.trend.watch ? `, or once the analyst's watch on ${figures.trend.watch.subject} holds it (from simulated hour ${num(figures.trend.watch.atHour, 0)}). ` : '. ')
            : 'The baseline model scores only adult nudity; a policy without a promoted head is caught only once users report it, after views. ') +
          (figures.learning.retrains.some((r) => r.promoted)
            ? 'Scheduled retraining promoted a version during the run (see "Learning").'
            : 'No scheduled retraining promoted a version during the run (see "Learning").'),
    },
  ];
  targets.push(trendTarget(run.loupe.trendAlert, figures.trend.startHour));
  const learning = figures.learning;
  const promotion = learning.retrains.find((r) => r.promoted && r.at === learning.firstPromotionAt) ?? null;
  const trendRow = learning.recallBeforeAfter.find((r) => r.policyId === 'trend');
  const regressions = learning.recallBeforeAfter.filter((r) => r.policyId !== 'trend' && r.before.share !== null && r.after.share !== null && r.after.share < r.before.share - 0.02);
  const trendPolicy = 'dangerous_acts';
  let learningTarget: Target;
  if (learning.retrains.length === 0) {
    learningTarget = { target: '', value: `recall on the trend with no retrain: ${pct(figures.trend.recall)}`, status: 'not yet measured', why: 'No retraining was scheduled in this run (--retrain-every 0, or a run shorter than the interval).' };
  } else if (!promotion) {
    const reasons = learning.retrains.map((r) => `simulated hour ${num(r.at / 3_600_000)}: ${r.status}${r.gatesPassed === false ? ', gates failed' : ''}${r.message ? ` (${r.message})` : ''}`).join('; ');
    learningTarget = { target: '', value: `no promotion; recall on the trend ${pct(figures.trend.recall)}`, status: 'not met', why: `No retrain produced a version that passed its gates. ${reasons}.` };
  } else {
    const learned = promotion.promotedPolicies.includes(trendPolicy);
    const after = trendRow?.after.share ?? null;
    const ok = learned && after !== null && after >= 0.9 && regressions.length === 0;
    learningTarget = {
      target: '',
      value: `trend recall before ${pct(trendRow?.before.share ?? null)}, after ${pct(after)} (version ${promotion.version}, promoted at simulated hour ${num(promotion.at / 3_600_000)})`,
      status: after === null ? 'not yet measured' : ok ? 'met' : 'not met',
      why: ok
        ? 'The promoted version learned the trend from the moderators\' labels, and no policy lost more than 0.02.'
        : `${learned ? '' : `The promotion has no head for ${trendPolicy} (too few labels of the trend when it trained, or its gates failed). `}` +
          `${after === null ? 'No trend items were uploaded after the promotion. ' : after < 0.9 ? 'Recall after the retrain is under 0.9. ' : ''}` +
          `${regressions.length ? `Down by more than 0.02: ${regressions.map((r) => `${r.policyId} ${pct(r.before.share)} → ${pct(r.after.share)}`).join(', ')}.` : ''}`,
    };
  }
  targets.push({ ...learningTarget, target: 'Recall on the trend at least 0.9 after one retrain, no policy down by more than 0.02 (recall: share removed before any view, of the items whose fate is known at the end)' });
  const estimates = run.loupe.accuracy ?? [];
  const estimated = figures.moderatorPolicies
    .map((c) => ({ ...c, loupe: estimates.find((e) => e.name === c.name && e.policyId === c.policyId) }))
    // Loupe's weighted accuracy (observed against the gold answer or the label that stands, re-weighted to the moderator's mix) where it scored 10+ decisions, else Dawid–Skene's estimate.
    .map((c) => ({ ...c, estimate: c.loupe && c.loupe.observed !== null && c.loupe.decisions >= 10 ? (c.loupe.weighted ?? c.loupe.observed) : (c.loupe?.estimated ?? null) }))
    .filter((c): c is typeof c & { estimate: number } => c.estimate !== null);
  const gap = (c: (typeof estimated)[number]) => Math.abs(c.estimate - c.accuracyVsTruth);
  const widest = (list: typeof estimated) => list.reduce<(typeof estimated)[number] | null>((w, c) => (!w || gap(c) > gap(w) ? c : w), null);
  const cells = estimated.filter((c) => c.labels >= MIN_ACCURACY_LABELS);
  const worst = widest(cells);
  const small = widest(estimated.filter((c) => c.labels < MIN_ACCURACY_LABELS));
  const edCells = estimates.filter((e) => e.policyId === 'eating_disorder_promotion' && (e.estimated ?? e.observed) !== null);
  const lowestEd = edCells.reduce<(typeof edCells)[number] | null>((w, e) => (!w || (e.estimated ?? e.observed)! < (w.estimated ?? w.observed)! ? e : w), null);
  const weakFlagged = lowestEd ? lowestEd.name === 'sim-eve' : null;
  targets.push({
    target: 'Moderator accuracy estimated within 3 points (GET /v1/analysis/accuracy against the truth)',
    value: worst
      ? `largest gap ${(gap(worst) * 100).toFixed(1)} points (${worst.name} on ${worst.policyId}: estimated ${pct(worst.estimate)}, truth ${pct(worst.accuracyVsTruth)}) over ${cells.length} moderator-policy cells with ${MIN_ACCURACY_LABELS}+ labels`
      : `no cell with ${MIN_ACCURACY_LABELS}+ labels and an estimate`,
    status: !worst ? 'not yet measured' : gap(worst) <= 0.03 ? 'met' : 'not met',
    why:
      (!worst
        ? 'Too few reviews per moderator and policy for an estimate to compare (a run needs overlapping reviews: consensus cases, escalations, appeals). '
        : "Loupe's figure is its weighted accuracy where it scored 10 or more decisions: the share right against the gold answer or the label that stands, over all of the moderator's judgements, an unscored one counted at the share right among the scored of its stratum (the case asked about the policy or not, times the answer given, pulled toward the moderator's pooled share where it rests on few), since scoring favours asked policies and removals. Elsewhere it is the Dawid–Skene estimate, which needs overlapping reviews. The truth is the simulator's. " +
          `The target is checked on cells of ${MIN_ACCURACY_LABELS} or more labels: at 95% accuracy, a share measured on fewer has a standard error above 2 points, so no estimate can be held to 3.` +
          (small ? ` On the ${estimated.length - cells.length} smaller cells the largest gap is ${(gap(small) * 100).toFixed(1)} points (${small.name} on ${small.policyId}, ${small.labels} labels). ` : ' ')) +
      (weakFlagged === null ? 'The weak moderator (sim-eve, eating-disorder nuance) has no estimate yet.' : weakFlagged ? "The weak moderator, sim-eve, has Loupe's lowest eating-disorder estimate: flagged for targeted training." : `The weak moderator, sim-eve, is not Loupe's lowest on eating-disorder content (${lowestEd!.name} is).`),
  });
  return targets;
}

/** Flagged within 2 simulated hours of the trend's start, by the hourly scans (each reads the reports up to its hour). */
function trendTarget(alert: RunInfo['loupe']['trendAlert'], startHour: number | null): Target {
  const target = "The trend flagged within 2 simulated hours of its start (Loupe's trend alerts, scanned hourly)";
  if (startHour === null) return { target, value: 'no trend in this run', status: 'not yet measured', why: 'The run ended before the trend started.' };
  if (!alert) return { target, value: 'not asked', status: 'not yet measured', why: 'The simulator did not scan for trends in this run.' };
  if (alert.flaggedAtSimHour === null) {
    return { target, value: 'not flagged', status: 'not met', why: `${alert.note} A scan sees the users' reports up to its hour (Loupe's removals are stamped later, on its own clock), so a trend users rarely report is invisible to it.` };
  }
  const delay = alert.flaggedAtSimHour - startHour;
  return {
    target,
    value: `flagged at simulated hour ${num(alert.flaggedAtSimHour)}, ${num(delay)} h after the start`,
    status: delay <= 2 ? 'met' : 'not met',
    why: alert.note,
  };
}
