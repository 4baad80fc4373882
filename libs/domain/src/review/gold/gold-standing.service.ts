import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ModeratorRepository } from '@loupe/database';

/** A moderator's standing on gold checks: the share right over their recent answers. */
@Injectable()
export class GoldStanding {
  constructor(
    private readonly moderators: ModeratorRepository,
    private readonly config: LoupeConfig,
  ) {}

  /** Whether the moderator passes gold checks now; null when they have answered none. */
  async passing(moderatorId: string): Promise<boolean | null> {
    const results = await this.moderators.recentGoldResults(moderatorId, this.config.review.goldWindow);
    if (results.length === 0) return null;
    return results.filter(Boolean).length / results.length >= this.config.review.goldPassRate;
  }
}
