import type { ArmReport, ExperimentReport, LabelAgreement } from '@loupe/domain/learning';

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '-' : x.toFixed(3));
const labels = (a: LabelAgreement) => `precision ${pct(a.precision)}, recall ${pct(a.recall)} on ${a.labelled} labelled`;

function arm(name: string, a: ArmReport, expected?: number): string[] {
  const head = `  ${name.padEnd(10)} ${a.items} items, ${a.share.toFixed(1)}%${expected === undefined ? '' : ` (configured ${expected}%)`}: allowed ${a.outcomes.allowed}, review ${a.outcomes.in_review}, removed ${a.outcomes.removed}`;
  return [head, ...a.policies.map((p) => `    ${p.policyId}: flagged ${p.flagged}; ${labels(p.againstLabels)}`)];
}

/** A shadow or canary report as text: what an engineer reads before promoting. */
export function formatExperimentReport(r: ExperimentReport): string {
  const window = r.window.running ? `running since ${r.window.from.toISOString()}` : `${r.window.from.toISOString()} to ${r.window.to.toISOString()}`;
  const lines = [
    `${r.modelName} version ${r.version}: ${r.mode} at ${r.percent}%, ${window}`,
    `${r.items} model decisions in the window; the challenger scored ${r.scored}${r.truncated ? ' (the report read only the first 50,000)' : ''}`,
    '',
    'Challenger beside champion, on the items the challenger scored:',
  ];
  for (const p of r.policies) {
    lines.push(`  ${p.policyId}: ${p.items} items, ${p.compared} with a champion score; same band ${pct(p.agreement)}, mean |difference| ${num(p.meanAbsoluteDifference)}`);
    lines.push(`    only the challenger flags ${p.challengerOnly}, only the champion flags ${p.championOnly}`);
    lines.push(`    challenger (review ${p.thresholds.challenger.review}, remove ${p.thresholds.challenger.remove}): ${labels(p.challenger.againstLabels)}`);
    if (p.champion && p.thresholds.champion) lines.push(`    champion   (review ${p.thresholds.champion.review}, remove ${p.thresholds.champion.remove}): ${labels(p.champion.againstLabels)}`);
    else lines.push('    champion: no model decided this policy');
  }
  if (r.arms) {
    lines.push('', 'Canary arms, as decided:');
    lines.push(...arm('challenger', r.arms.challenger, r.arms.expectedShare), ...arm('champion', r.arms.champion));
  }
  return lines.join('\n');
}
