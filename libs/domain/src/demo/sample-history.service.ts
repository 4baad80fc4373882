import { Injectable } from '@nestjs/common';
import { DemoHistoryRepository, type ContentTimeMove } from '@loupe/database';

export type { ContentTimeMove };

/**
 * The one step of `loupe demo history` that the API cannot do: putting the
 * sample's items back in time, so that hourly trend bins have a past. For
 * sample data only; no controller uses it.
 */
@Injectable()
export class SampleHistoryService {
  constructor(private readonly history: DemoHistoryRepository) {}

  /** Returns how many of the items this database holds (fewer means another database than the server's). */
  moveUploadTimes(moves: ContentTimeMove[]): Promise<number> {
    return this.history.shiftContentTimes(moves);
  }
}
