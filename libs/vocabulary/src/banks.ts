/* Hash banks' terms, as Meta's HMA uses them. */

export const BANK_KINDS = ['block', 'allow'] as const;
/** block: matches are actioned. allow: a suppression list; its matches are never actioned and veto block matches. */
export type BankKind = (typeof BANK_KINDS)[number];

export const BANK_ACTIONS = ['remove', 'review'] as const;
export type BankAction = (typeof BANK_ACTIONS)[number];

export const BANK_ENTRY_SOURCES = ['content', 'import', 'manual'] as const;
export type BankEntrySource = (typeof BANK_ENTRY_SOURCES)[number];

export const BANK_IMPORT_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type BankImportStatus = (typeof BANK_IMPORT_STATUSES)[number];

export interface BankImportError {
  line: number;
  message: string;
}
