import { BankFileReader, csvHeader, formatBankRecord, splitCsvLine } from './bank-file.codec';
import { BankRecord, fingerprintOf } from './bank-record';

const PDQ = 'f'.repeat(60) + '0a0b';
const PDQ2 = '0'.repeat(63) + '1';

describe('splitCsvLine', () => {
  it('handles quotes, doubled quotes and commas inside quotes', () => {
    expect(splitCsvLine('a,"b,c","say ""hi""",')).toEqual(['a', 'b,c', 'say "hi"', '']);
  });
  it('refuses an unterminated quote', () => {
    expect(() => splitCsvLine('a,"b')).toThrow('unterminated');
  });
});

describe('BankFileReader', () => {
  it('reads CSV with a header in any column order, defaulting quality and source', () => {
    const reader = new BankFileReader('csv');
    expect(reader.read('hash,signal_type,tags,note')).toBeNull();
    expect(reader.read(`${PDQ.toUpperCase()},pdq,a;b ; c,"a note, with a comma"`)).toEqual({
      signalType: 'pdq',
      hash: PDQ,
      quality: 100,
      source: 'import',
      note: 'a note, with a comma',
      tags: ['a', 'b', 'c'],
    });
    expect(reader.read('   ')).toBeNull();
  });

  it('refuses a CSV without the required header columns', () => {
    expect(() => new BankFileReader('csv').read(`pdq,${PDQ}`)).toThrow(/header/);
  });

  it.each([
    ['a short hash', 'pdq,abc,90,,,'],
    ['a non-hex hash', `pdq,${'z'.repeat(64)},90,,,`],
    ['a quality out of range', `pdq,${PDQ},101,,,`],
    ['an unknown signal type', `md5,${PDQ},90,,,`],
    ['a wrong number of fields', `pdq,${PDQ}`],
    ['a vpdq entry without frames', 'vpdq,,90,,,'],
  ])('refuses %s', (_name, line) => {
    const reader = new BankFileReader('csv');
    reader.read(csvHeader());
    expect(() => reader.read(line)).toThrow();
  });

  it('reads JSONL, including vPDQ frames', () => {
    const reader = new BankFileReader('jsonl');
    const record = reader.read(
      JSON.stringify({ signal_type: 'vpdq', frames: [{ frame_number: 0, quality: 90, pdq: PDQ, timestamp: 0 }, { frame_number: 1, quality: 70, pdq: PDQ2, timestamp: 1 }], tags: ['x'] }),
    );
    expect(record).toMatchObject({ signalType: 'vpdq', quality: 90, tags: ['x'], frames: [{ frameNumber: 0, pdq: PDQ }, { frameNumber: 1, quality: 70 }] });
    expect(() => reader.read('{not json')).toThrow('not valid JSON');
    expect(() => reader.read('[1,2]')).toThrow('JSON object');
  });
});

describe('formatBankRecord', () => {
  const records: BankRecord[] = [
    { signalType: 'pdq', hash: PDQ, quality: 88, source: 'tx, shared', note: 'say "no"', tags: ['a', 'b'] },
    { signalType: 'vpdq', frames: [{ frameNumber: 0, quality: 90, pdq: PDQ, timestamp: 0 }, { frameNumber: 30, quality: 80, pdq: PDQ2, timestamp: 1 }], quality: 80, source: 'content', note: '', tags: [] },
  ];

  it.each(['csv', 'jsonl'] as const)('round-trips through %s', (format) => {
    const reader = new BankFileReader(format);
    if (format === 'csv') reader.read(csvHeader());
    for (const record of records) expect(reader.read(formatBankRecord(format, record))).toEqual(record);
  });

  it('fingerprints PDQ by its hash and vPDQ by its frames', () => {
    expect(fingerprintOf(records[0])).toBe(PDQ);
    expect(fingerprintOf(records[1])).toMatch(/^vpdq:[0-9a-f]{64}$/);
    expect(fingerprintOf({ ...records[1], frames: records[1].frames!.slice(0, 1) })).not.toBe(fingerprintOf(records[1]));
  });
});
