import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { GoldRepository, ModeratorRepository } from '@loupe/database';
import type { PolicyLabel } from '@loupe/vocabulary';

/** A moderator's standing on gold checks: the share right over their recent answers, and the answers they are checked against. */
@Injectable()
export class GoldStanding {
  constructor(
    private readonly moderators: ModeratorRepository,
    private readonly gold: GoldRepository,
    private readonly config: LoupeConfig,
  ) {}

  /** The known answer of a gold case's item; undefined for a case that is not gold. */
  async answerOf(caseRow: { goldItemId: string | null }): Promise<PolicyLabel[] | undefined> {
    return caseRow.goldItemId ? (await this.gold.findById(caseRow.goldItemId))?.labels : undefined;
  }

  /** Whether the moderator passes gold checks now; null when they have answered none. */
  async passing(moderatorId: string): Promise<boolean | null> {
    const results = await this.moderators.recentGoldResults(moderatorId, this.config.review.goldWindow);
    if (results.length === 0) return null;
    return results.filter(Boolean).length / results.length >= this.config.review.goldPassRate;
  }
}
