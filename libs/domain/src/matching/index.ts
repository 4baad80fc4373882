export * from './bank-export.service';
export * from './bank-file/bank-file.codec';
export * from './bank-file/bank-record';
export * from './bank-file.importer';
export * from './bank-import.service';
export * from './bank-media.service';
export * from './bank.service';
export * from './hash-lookup.service';
export * from './hash-match.service';
export * from './match-index.service';
export * from './match-rules';
export * from './matching.module';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { BankImportRow, BankWithCounts, HashBankEntryRow, HashBankRow } from '@loupe/database';
