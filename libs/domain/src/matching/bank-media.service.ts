import { Injectable } from '@nestjs/common';
import type { HashBankEntryRow } from '@loupe/database';
import type { StagedFile } from '@loupe/media';
import { BankService } from './bank.service';
import { HashLookupService } from './hash-lookup.service';
import type { Principal } from '@loupe/vocabulary';

/** Banks an uploaded image or video: hashes it as ingest would (PDQ, or vPDQ), then adds the entry. */
@Injectable()
export class BankMediaService {
  constructor(
    private readonly hashes: HashLookupService,
    private readonly banks: BankService,
  ) {}

  async bankFile(
    bankId: string,
    file: StagedFile,
    fields: { note?: string; tags?: string[] },
    actor: Principal,
  ): Promise<{ entry: HashBankEntryRow; created: boolean }> {
    await this.banks.get(bankId);
    const hashed = await this.hashes.hashFile(file);
    const common = { source: 'manual', note: fields.note ?? '', tags: fields.tags ?? [] };
    const record =
      hashed.kind === 'image'
        ? { signalType: 'pdq' as const, hash: hashed.pdq, quality: hashed.quality, ...common }
        : { signalType: 'vpdq' as const, frames: hashed.frames, quality: Math.max(0, ...hashed.frames.map((f) => f.quality)), ...common };
    return this.banks.addEntry(bankId, record, actor);
  }
}
