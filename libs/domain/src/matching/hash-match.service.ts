import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { matchVpdq, VpdqFeature } from '@loupe/hashing';
import { BankIndexRepository, BankRepository, ContentMatchRepository } from '@loupe/database';
import { BankService } from './bank.service';
import type { BankRecord } from './bank-file/bank-record';
import { DecidedMatch, decideMatches, RawMatch } from './match-rules';
import { MatchIndexService } from './match-index.service';

export interface ImageSignal {
  pdq: string;
  quality: number;
  /** The 8 dihedral hashes, so rotated and flipped copies match too; the plain hash alone otherwise. */
  dihedral?: string[];
}

export interface MatchOutcome {
  matches: DecidedMatch[];
  /** The match that acts, if any: the strongest bank action among the actioned. */
  action: DecidedMatch | null;
}

/** Banked from removed content: one bank per policy, so each entry carries the policy it was removed for. */
export const removedContentBankName = (policyId: string) => `removed-${policyId}`;

/**
 * Matches perceptual hashes against the banks: the in-memory index finds
 * candidates, the database resolves them to live entries, and each bank's
 * own threshold, kind, ratio and the quality floor decide what acts.
 */
@Injectable()
export class HashMatchService {
  constructor(
    private readonly index: MatchIndexService,
    private readonly bankIndex: BankIndexRepository,
    private readonly banks: BankRepository,
    private readonly contentMatches: ContentMatchRepository,
    private readonly bankService: BankService,
    private readonly config: LoupeConfig,
  ) {}

  async matchImage(signal: ImageSignal, sampleKey: string): Promise<MatchOutcome> {
    const queries = signal.dihedral && signal.dihedral.length > 0 ? signal.dihedral : [signal.pdq];
    const nearest = new Map<number, number>();
    for (const hit of await this.index.search(queries)) {
      nearest.set(hit.id, Math.min(hit.distance, nearest.get(hit.id) ?? Infinity));
    }
    const raw: RawMatch[] = [];
    for (const item of await this.bankIndex.resolveActive([...nearest.keys()])) {
      const distance = nearest.get(item.itemId)!;
      if (item.entry.signalType === 'pdq' && distance <= item.bank.pdqDistance) raw.push({ bank: item.bank, entry: item.entry, distance });
    }
    raw.sort((a, b) => a.distance - b.distance);
    return decideMatches(raw, { queryQuality: signal.quality, qualityFloor: this.config.hashing.qualityFloor, sampleKey });
  }

  /**
   * vPDQ: the index finds banked frames near any of the video's frames; each
   * candidate entry is then compared whole, bag-of-frames, with its bank's
   * frame distance and match percentages (query side and banked side).
   */
  async matchVideo(frames: VpdqFeature[], sampleKey: string): Promise<MatchOutcome> {
    const floor = this.config.hashing.qualityFloor;
    const usable = frames.filter((f) => f.quality >= floor);
    const nearest = new Map<number, number>();
    for (const hit of await this.index.search(usable.map((f) => f.pdq))) {
      nearest.set(hit.id, Math.min(hit.distance, nearest.get(hit.id) ?? Infinity));
    }
    const candidates = new Map<string, { bank: RawMatch['bank']; entry: RawMatch['entry']; distance: number }>();
    for (const item of await this.bankIndex.resolveActive([...nearest.keys()])) {
      const distance = nearest.get(item.itemId)!;
      if (item.entry.signalType !== 'vpdq' || distance > item.bank.pdqDistance) continue;
      const known = candidates.get(item.entry.id);
      candidates.set(item.entry.id, { bank: item.bank, entry: item.entry, distance: Math.min(distance, known?.distance ?? Infinity) });
    }
    const items = await this.banks.itemsOfEntries([...candidates.keys()]);
    const raw: RawMatch[] = [];
    for (const candidate of candidates.values()) {
      const banked = items.filter((i) => i.entryId === candidate.entry.id).map((i) => ({ pdq: i.hash, quality: i.quality }));
      const result = matchVpdq(frames, banked, {
        qualityThreshold: floor,
        distanceThreshold: candidate.bank.pdqDistance,
        queryMatchThresholdPercent: candidate.bank.vpdqQueryPercent,
        comparedMatchThresholdPercent: candidate.bank.vpdqComparedPercent,
      });
      if (result.isMatch) {
        raw.push({ ...candidate, queryMatchPercent: result.queryMatchPercent, comparedMatchPercent: result.comparedMatchPercent });
      }
    }
    raw.sort((a, b) => (b.queryMatchPercent ?? 0) - (a.queryMatchPercent ?? 0));
    const best = Math.max(0, ...frames.map((f) => f.quality));
    return decideMatches(raw, { queryQuality: best, qualityFloor: floor, sampleKey });
  }

  async recordForContent(contentId: string, matches: DecidedMatch[]): Promise<void> {
    await this.contentMatches.replaceForContent(
      contentId,
      matches.map((m) => ({
        contentId,
        entryId: m.entry.id,
        bankId: m.bank.id,
        distance: m.distance,
        queryMatchPercent: m.queryMatchPercent ?? null,
        comparedMatchPercent: m.comparedMatchPercent ?? null,
        disposition: m.disposition,
      })),
    );
  }

  /**
   * Turns a moderator's decision on matched content into feedback on the
   * block entries it matched: confirmed when the moderator found the bank's
   * policy violated (any policy, for a bank without one), refuted otherwise.
   */
  async feedback(contentId: string, violatingPolicies: string[]): Promise<void> {
    for (const match of await this.contentMatches.withoutFeedback(contentId)) {
      if (match.bankKind !== 'block') continue;
      const confirmed = match.policyId ? violatingPolicies.includes(match.policyId) : violatingPolicies.length > 0;
      const verdict = confirmed ? 'confirmed' : 'refuted';
      if (await this.contentMatches.setFeedback(match.id, verdict)) await this.bankService.recordFeedback(match.entryId, verdict);
    }
  }

  /** Banks what a moderator removed, under each policy it violated, so re-uploads are removed at ingest. */
  async bankRemovedContent(contentId: string, policyIds: string[], record: Omit<BankRecord, 'source' | 'note' | 'tags'>): Promise<void> {
    for (const policyId of policyIds) {
      const bank = await this.banks.ensure({
        name: removedContentBankName(policyId),
        description: `Media that moderators removed for ${policyId}; re-uploads are removed at ingest.`,
        kind: 'block',
        policyId,
        action: 'remove',
        pdqDistance: this.config.hashing.matchDistance,
      });
      await this.bankService.addEntryToBank(bank, { ...record, source: 'content', note: `removed content ${contentId}`, tags: [] }, null, { contentId });
    }
  }
}
