/*
 * Observed accuracy, re-weighted to the moderator's own mix of judgements.
 *
 * A judgement can be scored only when something else answers the item: a
 * gold case, a consensus, a senior's escalation, an appeal. Those are not a
 * random sample of a moderator's work. Consensus and escalation follow the
 * policies a case asked about, and appeals follow removals only, so scored
 * judgements over-represent asked policies and "violating" answers. A
 * moderator who is weak on an asked nuance but, like everyone, almost never
 * wrong about a policy they were not asked about looks weaker on the scored
 * sample than on their work as a whole.
 *
 * Post-stratification corrects for that part of the selection: the
 * judgements fall into strata by (asked or not, answer given). A scored
 * judgement counts as it was scored; an unscored one counts at the share
 * right among its stratum's scored judgements. So the strata weigh as much
 * as the moderator's whole work puts in them, and where everything was
 * scored the figure is the plain share. A stratum's share rests on few
 * scored judgements at times (one wrong incidental "not violating" would
 * otherwise stand for hundreds), so it is pulled toward the moderator's
 * pooled share as if by PRIOR_JUDGEMENTS more judgements at that share
 * (partial pooling: a Beta prior centred on it); a stratum with nothing
 * scored takes the pooled share. What this cannot correct is selection on
 * being right itself within a stratum (a wrong removal is appealed more
 * often than a right one).
 *
 * Measured on a default simulated day (npm run simulate, seed 1, Loupe on
 * PostgreSQL), against the truth on 42 moderator-policy cells of 100+
 * labels: the pooled share was off by up to 4.6 points (1.15 on average);
 * this figure, pooled with 2, 5 or 10 judgements, by up to 4.3, 3.3 and 3.2
 * (1.25, 1.05, 0.98). Weighting the strata's shares without pooling was off
 * by up to 10.0 (1.85).
 */
import { Z_95, type ProportionInterval } from './gold-accuracy';

/** The prior's strength, in judgements at the pooled share. */
export const PRIOR_JUDGEMENTS = 10;

export interface WeightedFigures {
  /** Every judgement of the moderator under the policy, scored or not: the mix the weights come from. */
  judgements: number;
  /** The scored judgements the strata's shares come from. */
  decisions: number;
  /** (right + Σ_s unscored in s · (right in s + k·pooled) / (scored in s + k)) / judgements, k = PRIOR_JUDGEMENTS. */
  accuracy: number;
  /** accuracy ± 1.96 standard errors, clipped to [0, 1]. */
  interval: ProportionInterval;
  /** The share of the judgements in strata with nothing scored: counted at the pooled share. */
  pooledShare: number;
}

interface Stratum {
  judgements: number;
  scored: number;
  correct: number;
}

/** Four strata: asked or incidental, times violating or not. */
function stratumIndex(j: { asked: boolean; given: boolean }): number {
  return (j.asked ? 2 : 0) + (j.given ? 1 : 0);
}

/**
 * The re-weighted accuracy of one moderator under one policy; null when
 * nothing was scored. `all` holds every judgement (scored ones included).
 */
export function weightedAccuracy(all: readonly { asked: boolean; given: boolean }[], scored: readonly { asked: boolean; given: boolean; correct: boolean }[]): WeightedFigures | null {
  const n = scored.length;
  if (n === 0) return null;
  const strata: Stratum[] = Array.from({ length: 4 }, () => ({ judgements: 0, scored: 0, correct: 0 }));
  for (const j of all) strata[stratumIndex(j)].judgements++;
  let correct = 0;
  for (const s of scored) {
    const stratum = strata[stratumIndex(s)];
    stratum.scored++;
    if (s.correct) {
      stratum.correct++;
      correct++;
    }
  }
  // A scored judgement is one of `all` too; a caller that passed them apart still gets weights that cover them.
  for (const stratum of strata) stratum.judgements = Math.max(stratum.judgements, stratum.scored);
  const pooled = correct / n;
  const total = strata.reduce((sum, s) => sum + s.judgements, 0);
  const k = PRIOR_JUDGEMENTS;
  const live = strata.filter((s) => s.judgements > 0);
  // The estimate is (Σ_s c_s + Σ_s u_s (c_s + k·P) / (m_s + k)) / N, u_s the unscored, P = Σ_s c_s / n: linear in the counts c_s, each c_s ~ Binomial(m_s, p_s).
  const unscoredIn = (s: Stratum) => s.judgements - s.scored;
  const pooledWeight = live.reduce((sum, s) => sum + (unscoredIn(s) * k) / (s.scored + k), 0) / total;
  let estimated = correct;
  let variance = 0;
  let unscored = 0;
  for (const s of live) {
    estimated += (unscoredIn(s) * (s.correct + k * pooled)) / (s.scored + k);
    if (s.scored === 0) unscored += s.judgements;
    // Agresti–Coull's adjusted share: a stratum scored 20 of 20 right is not known to be exactly 1.
    const p = (s.correct + 2) / (s.scored + 4);
    const coefficient = (1 + unscoredIn(s) / (s.scored + k)) / total + pooledWeight / n;
    variance += s.scored * p * (1 - p) * coefficient * coefficient;
  }
  const accuracy = estimated / total;
  const half = Z_95 * Math.sqrt(variance);
  return {
    judgements: total,
    decisions: n,
    accuracy,
    interval: { lower: Math.max(0, accuracy - half), upper: Math.min(1, accuracy + half) },
    pooledShare: unscored / total,
  };
}
