'use strict';
/**
 * Prints the ten slowest test files after a run, so that the suite's time
 * stays in view as it grows (the whole run must stay well inside CI's budget).
 * With LOUPE_RECORD_TIMINGS=1 it also merges every file's duration into
 * test/timings.json, which slowest-first.sequencer.js reads to start the
 * slowest files first.
 */
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

class SlowestFilesReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const all = results.testResults
      .map((r) => ({ file: path.relative(this.rootDir, r.testFilePath), ms: r.perfStats.end - r.perfStats.start }))
      .sort((a, b) => b.ms - a.ms);
    if (process.env.LOUPE_RECORD_TIMINGS === '1') this.record(all);
    const files = all.slice(0, 10);
    if (files.length === 0) return;
    const lines = files.map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.file}`);
    process.stderr.write(`\nThe ${files.length} slowest test files:\n${lines.join('\n')}\n`);
  }

  /** Seconds per file, slowest first; files that no longer exist drop out. */
  record(files) {
    const file = path.join(this.rootDir, 'test/timings.json');
    let timings = {};
    if (existsSync(file)) timings = JSON.parse(readFileSync(file, 'utf8'));
    for (const f of files) timings[f.file] = Math.round(f.ms / 100) / 10;
    const kept = Object.entries(timings)
      .filter(([name]) => existsSync(path.join(this.rootDir, name)))
      .sort((a, b) => b[1] - a[1]);
    writeFileSync(file, `${JSON.stringify(Object.fromEntries(kept), null, 2)}\n`);
  }
}

module.exports = SlowestFilesReporter;
