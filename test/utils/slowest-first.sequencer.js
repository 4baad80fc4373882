'use strict';
/**
 * Starts the slowest test files first, so that no long file starts last and
 * runs on alone while the other workers idle. Jest's own order needs its
 * cache of earlier runs, which a fresh clone (CI) does not have; without it,
 * Jest orders by file size, and puts the learning loop's two small files,
 * the suite's longest, at the very end. So the durations are kept in the
 * repository, in test/timings.json, which `LOUPE_RECORD_TIMINGS=1 npm run jest`
 * rewrites (slowest-files.reporter.js). A file it does not list yet is
 * estimated from its size, as Jest would.
 */
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const TIMINGS = path.join(__dirname, '../timings.json');

function recorded() {
  try {
    return JSON.parse(readFileSync(TIMINGS, 'utf8'));
  } catch {
    return {};
  }
}

class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    const timings = recorded();
    const seconds = (test) => {
      const known = timings[path.relative(test.context.config.rootDir, test.path)];
      // About a second of run time per kilobyte of an end-to-end file; unit specs are quick.
      return known ?? statSync(test.path).size / (test.path.endsWith('.e2e-spec.ts') ? 1000 : 10000);
    };
    return [...tests].sort((a, b) => seconds(b) - seconds(a));
  }
}

module.exports = SlowestFirstSequencer;
