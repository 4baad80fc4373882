import { ContentRepository, ReachRepository } from '@loupe/database';
import { JobHandler, JobHandlerFor, JobPayload } from '@loupe/queue';
import { CaseService } from '../../review/cases/case.service';
import { RecheckService } from '../recheck/recheck.service';

/**
 * Re-checks an allowed item whose views per hour crossed virality tiers:
 * re-scored by today's champion and re-matched against today's banks, and
 * sent to human review when a tier crossed says so and nothing else acted.
 * Every unchecked tier of the item is settled by this one look, so an item
 * that leaps two tiers at once is reviewed once, at the higher tier.
 */
@JobHandlerFor('analysis.virality-recheck')
export class ViralityRecheckHandler implements JobHandler<'analysis.virality-recheck'> {
  constructor(
    private readonly contents: ContentRepository,
    private readonly reach: ReachRepository,
    private readonly recheck: RecheckService,
    private readonly cases: CaseService,
  ) {}

  async handle({ contentId }: JobPayload<'analysis.virality-recheck'>): Promise<void> {
    const tiers = await this.reach.uncheckedTiers(contentId);
    if (tiers.length === 0) return;
    const settle = (outcome: string, caseId: string | null) =>
      this.reach.markChecked(
        contentId,
        tiers.map((t) => t.tier),
        outcome,
        caseId,
      );
    const content = await this.contents.findById(contentId);
    if (!content) return;
    // Someone acted since the crossing: the item is not allowed content any more.
    if (content.status !== 'allowed') return settle(`skipped: ${content.status}`, null);
    const top = tiers[tiers.length - 1];
    const origin = `viral re-check at ${top.tier} views per hour`;
    const found = await this.recheck.recheck(content, origin, 'virality');
    if (found.result) return settle(`${found.by}: ${found.result.outcome}`, found.result.caseId);
    if (!tiers.some((t) => t.action === 'review')) return settle('rescored: allowed', null);
    const policyIds = Object.keys(found.scores);
    const opened = await this.cases.open({
      content: (await this.contents.findById(contentId))!,
      source: 'virality',
      policyIds,
      policyScores: found.scores,
      // Reach drives the priority (expected harm counts views and velocity); the model saw nothing.
      probability: Math.max(0.3, ...Object.values(found.scores)),
      reason: `viral: ${Math.round(top.velocityPerHour)} views per hour (tier ${top.tier})`,
    });
    await settle('review', opened.id);
  }
}
