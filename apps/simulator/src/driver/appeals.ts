/**
 * The creators' appeals: a creator who would appeal a removal does so some
 * minutes after it (the world decides who and when); the simulator files it
 * through the platform's key at the first step past that instant.
 */
import { HttpError, LoupeHttp } from '../loupe/http';
import type { ItemRecord, Ledger } from './ledger';

export class Appeals {
  private pending: { at: number; record: ItemRecord }[] = [];

  constructor(
    private readonly ledger: Ledger,
    private readonly service: () => LoupeHttp,
  ) {}

  /** An appeal due at simulated `at`, of the removal of `record`. */
  schedule(at: number, record: ItemRecord): void {
    this.pending.push({ at, record });
  }

  /** Files the appeals due before `until`, in the order they fell due; returns how many were filed. */
  async send(until: number): Promise<number> {
    const due = this.pending.filter((a) => a.at < until).sort((a, b) => a.at - b.at);
    this.pending = this.pending.filter((a) => a.at >= until);
    let sent = 0;
    for (const { at, record } of due) {
      // Reinstated meanwhile, or already appealed: nothing to appeal.
      if (record.status !== 'removed' || record.appealedAt !== null) continue;
      try {
        await this.service().post(`/v1/contents/${record.contentId}/appeals`, { statement: 'My post does not break the rules' });
        record.appealedAt = at;
        record.reviewEntry.appeal = at;
        sent++;
      } catch (error) {
        // 409: Loupe already has an appeal open for it.
        if (!(error instanceof HttpError && error.status === 409)) this.ledger.errors.push(`appeal ${record.index}: ${(error as Error).message}`);
      }
    }
    return sent;
  }
}
