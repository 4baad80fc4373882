import { createHash } from 'node:crypto';

export type BankFileFormat = 'csv' | 'jsonl';
export const BANK_FILE_FORMATS: BankFileFormat[] = ['csv', 'jsonl'];

export interface VpdqFrameRecord {
  frameNumber: number;
  quality: number;
  pdq: string;
  timestamp: number;
}

/** One bank entry as files and the API carry it. */
export interface BankRecord {
  signalType: 'pdq' | 'vpdq';
  /** PDQ: the hash. vPDQ: absent, see frames. */
  hash?: string;
  frames?: VpdqFrameRecord[];
  quality: number;
  source: string;
  note: string;
  tags: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Hash lists shared between platforms rarely carry quality; an absent one is trusted. */
export const DEFAULT_IMPORT_QUALITY = 100;

export class BankRecordError extends Error {}

function qualityOf(value: unknown, what: string): number {
  const quality = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (quality === undefined || quality === null || quality === '') return DEFAULT_IMPORT_QUALITY;
  if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new BankRecordError(`${what} must be an integer from 0 to 100`);
  }
  return quality;
}

export function normalisePdq(value: unknown, what = 'hash'): string {
  if (typeof value !== 'string') throw new BankRecordError(`${what} must be a string of 64 hex characters`);
  const hash = value.trim().toLowerCase();
  if (!HEX64.test(hash)) throw new BankRecordError(`${what} must be 64 hex characters, got ${JSON.stringify(value.slice(0, 80))}`);
  return hash;
}

function frameOf(raw: unknown, index: number): VpdqFrameRecord {
  const what = `frames[${index}]`;
  if (typeof raw !== 'object' || raw === null) throw new BankRecordError(`${what} must be an object`);
  const frame = raw as Record<string, unknown>;
  const frameNumber = Number(frame.frame_number ?? frame.frameNumber);
  const timestamp = Number(frame.timestamp ?? 0);
  if (!Number.isInteger(frameNumber) || frameNumber < 0) throw new BankRecordError(`${what}.frame_number must be a whole number`);
  if (!Number.isFinite(timestamp) || timestamp < 0) throw new BankRecordError(`${what}.timestamp must be a number of seconds`);
  return { frameNumber, timestamp, quality: qualityOf(frame.quality, `${what}.quality`), pdq: normalisePdq(frame.pdq ?? frame.hash, `${what}.pdq`) };
}

/** vPDQ frames in the reference's text form, one `frame_number,quality,pdq_hex,timestamp` per frame, `;` between frames. */
export function parseVpdqFrames(text: string): VpdqFrameRecord[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part, i) => {
      const [frameNumber, quality, pdq, timestamp] = part.split(',');
      return frameOf({ frame_number: frameNumber, quality, pdq, timestamp }, i);
    });
}

export function formatVpdqFrames(frames: VpdqFrameRecord[]): string {
  return frames.map((f) => `${f.frameNumber},${f.quality},${f.pdq},${f.timestamp.toFixed(3)}`).join(';');
}

/** Validates a loosely typed record (a parsed JSON line or CSV row) into a BankRecord. */
export function toBankRecord(raw: Record<string, unknown>): BankRecord {
  const signalType = String(raw.signal_type ?? raw.signalType ?? '').trim().toLowerCase();
  const source = raw.source === undefined || raw.source === null || raw.source === '' ? 'import' : String(raw.source);
  const note = raw.note === undefined || raw.note === null ? '' : String(raw.note);
  const tags = Array.isArray(raw.tags) ? raw.tags.map(String) : String(raw.tags ?? '').split(';');
  const common = { source, note, tags: tags.map((t) => t.trim()).filter((t) => t.length > 0) };
  if (signalType === 'pdq') {
    return { signalType, hash: normalisePdq(raw.hash), quality: qualityOf(raw.quality, 'quality'), ...common };
  }
  if (signalType === 'vpdq') {
    const frames = Array.isArray(raw.frames)
      ? raw.frames.map(frameOf)
      : typeof raw.hash === 'string'
        ? parseVpdqFrames(raw.hash)
        : [];
    if (frames.length === 0) throw new BankRecordError('a vpdq entry needs frames');
    // vPDQ compares frames one by one above the floor; the entry is as good as its best frame.
    const quality = raw.quality === undefined || raw.quality === '' ? Math.max(...frames.map((f) => f.quality)) : qualityOf(raw.quality, 'quality');
    return { signalType, frames, quality, ...common };
  }
  throw new BankRecordError(`signal_type must be pdq or vpdq, got ${JSON.stringify(raw.signal_type ?? null)}`);
}

/** What identifies the media within a bank, so it is banked once. */
export function fingerprintOf(record: Pick<BankRecord, 'signalType' | 'hash' | 'frames'>): string {
  if (record.signalType === 'pdq') return record.hash!;
  const digest = createHash('sha256');
  for (const frame of record.frames!) digest.update(`${frame.frameNumber}:${frame.pdq};`);
  return `vpdq:${digest.digest('hex')}`;
}
