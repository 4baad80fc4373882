import type { MissDecisionRecord, MissHistory, MissScoreRecord } from '@loupe/database';
import type { AllowDecision, ArrivalScore, ConfirmedBy, Violation } from './misses.types';
import { compareViolations } from './violation-record';

/** A retro-hunt finding or a viral re-check is the same event as a removal recorded within this long of it. */
const SAME_EVENT_MS = 60_000;

interface Confirmation {
  policyId: string;
  by: ConfirmedBy;
  at: Date;
  id: string;
}

/**
 * Each item's violations confirmed in [from, to): per policy, the first
 * confirmation ever (a removal that was never overturned, a retro-hunt's
 * removal, a gold answer saying violating), kept when it falls in the
 * period. A violation was missed when a decision had let the item through
 * before it was confirmed; otherwise it was caught proactively.
 */
export function confirmedViolations(history: MissHistory, from: Date, to: Date): Violation[] {
  const byContent = <T extends { contentId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.contentId, [...(map.get(row.contentId) ?? []), row]);
    return map;
  };
  const decisions = byContent(history.decisions);
  const scores = byContent(history.scores);
  const findings = byContent(history.findings);
  const virality = byContent(history.virality);
  const gold = byContent(history.gold);
  const views = byContent(history.views);
  const violations: Violation[] = [];

  for (const content of history.contents) {
    const own = [...(decisions.get(content.id) ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
    const removals = own.filter((d) => d.outcome === 'removed' && !d.overturned);
    const near = (at: Date, when: Date | null) => when !== null && Math.abs(when.getTime() - at.getTime()) <= SAME_EVENT_MS;
    const confirmations: Confirmation[] = [];
    for (const removal of removals) {
      let by: ConfirmedBy;
      if (removal.source === 'human') by = caseConfirmation(removal);
      else if ((findings.get(content.id) ?? []).some((f) => f.outcome === 'removed' && near(removal.at, f.at))) by = 'retro_hunt';
      else if ((virality.get(content.id) ?? []).some((v) => v.outcome === 'removed' && near(removal.at, v.at))) by = 'virality';
      // A rule (a trend watch) only holds items for review; it never removes one.
      else if (removal.source === 'rule') continue;
      else by = removal.source;
      for (const policyId of removal.policyIds) confirmations.push({ policyId, by, at: removal.at, id: removal.id });
    }
    // A retro-hunt's removal without its decision in the history (recorded apart) still confirms.
    for (const finding of findings.get(content.id) ?? []) {
      if (finding.outcome !== 'removed' || removals.some((r) => near(r.at, finding.at))) continue;
      for (const policyId of finding.policyIds) confirmations.push({ policyId, by: 'retro_hunt', at: finding.at, id: finding.huntId });
    }
    for (const item of gold.get(content.id) ?? []) {
      for (const label of item.labels) if (label.violating) confirmations.push({ policyId: label.policyId, by: 'gold', at: item.at, id: item.goldItemId });
    }

    const first = new Map<string, Confirmation>();
    for (const c of confirmations.sort((a, b) => a.at.getTime() - b.at.getTime())) if (!first.has(c.policyId)) first.set(c.policyId, c);
    for (const confirmation of first.values()) {
      if (confirmation.at < from || confirmation.at >= to) continue;
      const removal = removals.find((r) => r.at >= confirmation.at);
      const removedAt = removal ? removal.at : null;
      const allow = own.find((d) => d.outcome === 'allowed' && d.at < confirmation.at);
      const reference = allow ? allow.at : confirmation.at;
      violations.push({
        contentId: content.id,
        policyId: confirmation.policyId,
        kind: content.kind,
        region: content.region,
        language: content.language,
        uploadedAt: content.uploadedAt,
        confirmedBy: confirmation.by,
        confirmedAt: confirmation.at,
        confirmationId: confirmation.id,
        removedAt,
        allowed: allow ? allowOf(allow) : null,
        arrival: arrivalScore(own, scores.get(content.id) ?? [], confirmation.policyId, reference),
        viewsBeforeRemoval: viewsAt(views.get(content.id) ?? [], removedAt ?? confirmation.at),
        secondsToRemoval: removedAt ? Math.max(0, (removedAt.getTime() - content.uploadedAt.getTime()) / 1000) : null,
      });
    }
  }
  return violations.sort(compareViolations);
}

function caseConfirmation(removal: MissDecisionRecord): ConfirmedBy {
  switch (removal.caseSource) {
    case 'report':
    case 'virality':
    case 'appeal':
    case 'gold':
    // A quality sample of allowed content, like a gold check, finds what the model let through.
    case 'sample':
      return removal.caseSource;
    default:
      // A case the model or a bank opened: a moderator confirmed it in review.
      return 'review';
  }
}

function allowOf(decision: MissDecisionRecord): AllowDecision {
  return { decisionId: decision.id, by: decision.source, at: decision.at, actorId: decision.actorId, caseSource: decision.caseSource };
}

/**
 * The policy's score when the model routed the item, at or before
 * `reference` (the allow, or the confirmation of a caught item). The
 * routing decision names its deciding models, the baseline first and then
 * the heads that decide some policy; a head's score replaces the
 * baseline's, so a listed head that scored the policy is preferred.
 */
export function arrivalScore(decisions: MissDecisionRecord[], scores: MissScoreRecord[], policyId: string, reference: Date): ArrivalScore {
  const routing = decisions.find((d) => d.source === 'model' && d.at <= reference) ?? null;
  const reviewThreshold = routing?.thresholds?.[policyId]?.review ?? null;
  const listed = (routing?.modelVersion ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const candidates = scores.filter((s) => s.acted && s.at <= reference && typeof s.policyScores[policyId] === 'number');
  const name = (s: MissScoreRecord) => `${s.modelId}@${s.modelVersion}`;
  const rank = (s: MissScoreRecord) => listed.indexOf(name(s));
  const chosen = [...candidates].sort((a, b) => rank(b) - rank(a) || b.at.getTime() - a.at.getTime())[0];
  if (!chosen) return { score: null, modelVersion: listed[0] ?? null, reviewThreshold };
  return { score: chosen.policyScores[policyId], modelVersion: name(chosen), reviewThreshold };
}

function viewsAt(samples: { views: number; at: Date }[], at: Date): number {
  let views = 0;
  for (const sample of samples) if (sample.at <= at) views = sample.views;
  return views;
}
