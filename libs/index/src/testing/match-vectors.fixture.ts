import { readFileSync } from 'node:fs';
import path from 'node:path';
import { haveSharedData } from '@loupe/common/testing';
import { PROJECT_ROOT } from '@loupe/common';

/*
 * The shared matching vectors (../shared/vectors/match, README section 7):
 * needle and haystack hash lists and, per needle, every haystack line within
 * 31 or 63 (inclusive) with its distance, agreed with the reference's
 * mih-query. They live outside the repository; a clone without them skips.
 */

export const MATCH_VECTORS = path.resolve(PROJECT_ROOT, '../shared/vectors/match');
export const HAVE_MATCH_VECTORS = haveSharedData(path.join(MATCH_VECTORS, 'expected-matches-d31.tsv'), 'the reference match tests');

export interface ExpectedMatch {
  needle: number;
  haystack: number;
  distance: number;
}

export interface MatchCase {
  name: string;
  needles: string[];
  haystack: string[];
  maxDistance: number;
  expected: ExpectedMatch[];
}

function lines(file: string): string[] {
  return readFileSync(path.join(MATCH_VECTORS, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function expectedMatches(file: string, needles: string[]): ExpectedMatch[] {
  const [header, ...rows] = lines(file);
  const columns = header.split('\t');
  const at = (name: string): number => columns.indexOf(name);
  const matches: ExpectedMatch[] = [];
  for (const row of rows) {
    const cells = row.split('\t');
    const needle = Number(cells[at('needle_index')]);
    if (cells[at('needle_hex')] !== needles[needle]) throw new Error(`${file}: needle ${needle} differs from the needle list`);
    const indices = (cells[at('haystack_indices')] ?? '').split(',').filter((c) => c !== '');
    const distances = (cells[at('distances')] ?? '').split(',').filter((c) => c !== '');
    if (indices.length !== Number(cells[at('match_count')]) || distances.length !== indices.length) {
      throw new Error(`${file}: malformed row for needle ${needle}`);
    }
    indices.forEach((h, i) => matches.push({ needle, haystack: Number(h), distance: Number(distances[i]) }));
  }
  return matches;
}

export function loadMatchCases(): MatchCase[] {
  const needles = lines('needles.txt');
  const haystack = lines('haystack.txt');
  const boundaryNeedles = lines('boundary-needles.txt');
  const boundaryHaystack = lines('boundary-haystack.txt');
  return [
    { name: 'reference d31', needles, haystack, maxDistance: 31, expected: expectedMatches('expected-matches-d31.tsv', needles) },
    { name: 'reference d63', needles, haystack, maxDistance: 63, expected: expectedMatches('expected-matches-d63.tsv', needles) },
    {
      name: 'boundary d31',
      needles: boundaryNeedles,
      haystack: boundaryHaystack,
      maxDistance: 31,
      expected: expectedMatches('expected-boundary-d31.tsv', boundaryNeedles),
    },
    {
      name: 'boundary d63',
      needles: boundaryNeedles,
      haystack: boundaryHaystack,
      maxDistance: 63,
      expected: expectedMatches('expected-boundary-d63.tsv', boundaryNeedles),
    },
  ];
}
