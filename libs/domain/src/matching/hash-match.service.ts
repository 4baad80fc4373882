import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { BankMatch, BankRepository, HashBankRow } from '@loupe/database';

export const REMOVED_CONTENT_BANK = 'removed-content';

/**
 * Matches perceptual hashes against the banks of known-violating media, and
 * banks the hashes of content that humans removed.
 */
@Injectable()
export class HashMatchService implements OnApplicationBootstrap {
  private removedBank: HashBankRow | null = null;

  constructor(
    private readonly banks: BankRepository,
    private readonly config: LoupeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.removedContentBank();
  }

  /**
   * Entries within the match distance, nearest first. A hash below the
   * quality floor is too flat to trust: it is kept, but never matched.
   */
  async findMatches(hash: string, quality: number): Promise<BankMatch[]> {
    if (quality < this.config.hashing.qualityFloor) return [];
    return this.banks.findNearPdq(hash, this.config.hashing.matchDistance);
  }

  async bankRemovedContent(contentId: string, hashes: { hash: string; quality: number }[]): Promise<void> {
    const bank = await this.removedContentBank();
    for (const { hash, quality } of hashes) {
      await this.banks.addEntry({ bankId: bank.id, signalType: 'pdq', hash, quality, source: 'content', contentId });
    }
  }

  private async removedContentBank(): Promise<HashBankRow> {
    this.removedBank ??= await this.banks.ensureBank(REMOVED_CONTENT_BANK, {
      description: 'Hashes of content that moderators removed; re-uploads are removed at ingest.',
      policyId: null,
    });
    return this.removedBank;
  }
}
