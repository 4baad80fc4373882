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
 * judgements fall into strata by (asked or not, answer given); the share
 * right is measured within each stratum on its scored judgements, and the
 * strata are weighted by how many of ALL the moderator's judgements fall in
 * them. A stratum's share rests on few scored judgements at times (one wrong
 * incidental "not violating" would otherwise stand for hundreds), so each is
 * pulled toward the moderator's pooled share as if by PRIOR_JUDGEMENTS more
 * judgements at that share (partial pooling, a Beta prior centred on it); a
 * stratum with nothing scored takes the pooled share. What this cannot
 * correct is selection on being right itself within a stratum (a wrong
 * removal is appealed more often than a right one).
 *
 * Measured on a default simulated day (npm run simulate, seed 1, Loupe on
 * PostgreSQL), against the truth on 42 moderator-policy cells of 100+
 * labels: the pooled share was off by up to 4.6 points (1.15 on average),
 * the strata without pooling by up to 10.0 (1.85), pooled with 2, 5, 10 or
 * 20 judgements by up to 4.0, 3.0, 3.3 and 3.6 (1.16, 0.96, 0.87, 0.85).
 */
import { Z_95, type ProportionInterval } from './gold-accuracy';

/** The prior's strength, in judgements at the pooled share. */
export const PRIOR_JUDGEMENTS = 5;

export interface WeightedFigures {
  /** Every judgement of the moderator under the policy, scored or not: the mix the weights come from. */
  judgements: number;
  /** The scored judgements the strata's shares come from. */
  decisions: number;
  /** Σ_s (judgements in s / judgements) · (right in s + k·pooled) / (scored in s + k), k = PRIOR_JUDGEMENTS. */
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
  if (scored.length === 0) return null;
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
  const pooled = correct / scored.length;
  const n = scored.length;
  const total = strata.reduce((sum, s) => sum + s.judgements, 0);
  const k = PRIOR_JUDGEMENTS;
  const live = strata.filter((s) => s.judgements > 0);
  // The estimate is Σ_s w_s (c_s + k·P) / (m_s + k) with P = Σ_s c_s / n: linear in the counts c_s, each c_s ~ Binomial(m_s, p_s).
  const pooledWeight = live.reduce((sum, s) => sum + ((s.judgements / total) * k) / (s.scored + k), 0);
  let accuracy = 0;
  let variance = 0;
  for (const s of live) {
    const w = s.judgements / total;
    accuracy += (w * (s.correct + k * pooled)) / (s.scored + k);
    // Agresti–Coull's adjusted share: a stratum scored 20 of 20 right is not known to be exactly 1.
    const p = (s.correct + 2) / (s.scored + 4);
    const coefficient = w / (s.scored + k) + pooledWeight / n;
    variance += s.scored * p * (1 - p) * coefficient * coefficient;
  }
  const unscored = live.filter((s) => s.scored === 0).reduce((sum, s) => sum + s.judgements, 0);
  const half = Z_95 * Math.sqrt(variance);
  return {
    judgements: total,
    decisions: scored.length,
    accuracy,
    interval: { lower: Math.max(0, accuracy - half), upper: Math.min(1, accuracy + half) },
    pooledShare: unscored / total,
  };
}
