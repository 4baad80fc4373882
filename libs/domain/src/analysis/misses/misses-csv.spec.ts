import { MISSES_COLUMNS, missesCsv } from './misses-csv';
import type { MissedItem } from './misses.types';
import { at } from './testing/miss-history';

describe('missesCsv', () => {
  const item: MissedItem = {
    contentId: 'c1',
    policyId: 'adult_nudity',
    kind: 'image',
    region: 'DE',
    language: '=cmd',
    uploadedAt: at(0),
    confirmedBy: 'report',
    confirmedAt: at(30),
    confirmationId: 'd2',
    removedAt: at(30),
    allowed: { decisionId: 'd1', by: 'model', at: at(1), actorId: null, caseSource: null },
    arrival: { score: 0.78, modelVersion: 'nsfwjs@1, heads@2', reviewThreshold: 0.85 },
    viewsBeforeRemoval: 12,
    secondsToRemoval: 1800,
    cause: 'near_threshold',
    evidence: { cause: 'near_threshold', score: 0.78, reviewThreshold: 0.85, margin: 0.1, belowBy: 0.07, modelVersion: 'nsfwjs@1' },
    scoreBand: '0.7-0.8',
  };

  it('writes a header and a row per missed item, quoting commas and quotes, the evidence as JSON', () => {
    const [header, row, end] = missesCsv([item]).split('\n');
    expect(header.split(',')).toEqual([...MISSES_COLUMNS]);
    expect(end).toBe('');
    expect(row).toBe(
      [
        'c1,adult_nudity,image,DE',
        "'=cmd",
        `model,${at(1).toISOString()},report,${at(30).toISOString()},${at(30).toISOString()},near_threshold,0.78,0.7-0.8`,
        '"nsfwjs@1, heads@2"',
        '0.85,12,1800',
        '"{""cause"":""near_threshold"",""score"":0.78,""reviewThreshold"":0.85,""margin"":0.1,""belowBy"":0.07,""modelVersion"":""nsfwjs@1""}"',
      ].join(','),
    );
  });

  it('leaves empty cells for what is not known, and is only a header with no misses', () => {
    const row = missesCsv([{ ...item, removedAt: null, secondsToRemoval: null, arrival: { score: null, modelVersion: null, reviewThreshold: null } }]).split('\n')[1].split(',');
    expect(row[MISSES_COLUMNS.indexOf('removedAt')]).toBe('');
    expect(row[MISSES_COLUMNS.indexOf('score')]).toBe('');
    expect(missesCsv([])).toBe(`${MISSES_COLUMNS.join(',')}\n`);
  });
});
