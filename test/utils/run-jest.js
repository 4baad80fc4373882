#!/usr/bin/env node
/**
 * `npm run jest`: Jest, and once more for the files whose Jest worker process
 * died of a signal (SIGSEGV, SIGABRT) while it ran them.
 *
 * Why: a full CI run ended with its Jest worker killed by SIGSEGV while every
 * test passed (2026-12-03, in test/admin-key.e2e-spec.ts). The crash is in
 * native code that a worker process keeps across files (onnxruntime, libvips,
 * the WebAssembly of PGlite and tfjs in threads); six runs of that file alone
 * and twenty start-and-destroy cycles of the compute threads did not
 * reproduce it, so its cause is still open (docs/decisions.md). A file that
 * failed an assertion, or that crashes again on its second run, still fails
 * the run: only a crash of the process, with nothing asserted false, earns
 * the second run, and the run says so loudly.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const jest = path.join(__dirname, '..', '..', 'node_modules', 'jest', 'bin', 'jest.js');
const args = process.argv.slice(2);

/** Runs Jest with `extra` arguments; its results as Jest's JSON, or null when it wrote none. */
function runJest(extra) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-jest-'));
  const outputFile = path.join(dir, 'results.json');
  const run = spawnSync(process.execPath, ['--experimental-vm-modules', jest, ...extra, '--json', `--outputFile=${outputFile}`], { stdio: 'inherit' });
  let results = null;
  try {
    results = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    // No results (Jest itself failed to start): its status says what happened.
  }
  rmSync(dir, { recursive: true, force: true });
  return { status: run.status ?? 1, results };
}

const WORKER_KILLED = /jest worker process \(pid=\d+\) was terminated by another process: signal=SIG[A-Z]+/;

/** The files whose worker died of a signal with no assertion failed, when they are the only failures. */
function crashedOnly(results) {
  const failed = results.testResults.filter((file) => file.status === 'failed');
  const crashed = failed.filter((file) => WORKER_KILLED.test(file.message ?? '') && !file.assertionResults.some((a) => a.status === 'failed'));
  return crashed.length > 0 && crashed.length === failed.length && results.numFailedTests === 0 ? crashed.map((file) => file.name) : [];
}

const first = runJest(args);
if (first.status === 0 || !first.results) process.exit(first.status);
const again = crashedOnly(first.results);
if (again.length === 0) process.exit(first.status);

const banner = '='.repeat(78);
console.error(`\n${banner}\nA Jest worker process died of a signal while running:\n${again.map((file) => `  ${path.relative(process.cwd(), file)}`).join('\n')}\nNo assertion failed. Running only ${again.length === 1 ? 'that file' : 'those files'} once more (test/utils/run-jest.js).\n${banner}\n`);
// The same options (a file pattern in them would only narrow the list further), and the crashed files by path.
const options = args.filter((arg) => arg.startsWith('-'));
const second = runJest([...options, '--runTestsByPath', ...again]);
process.exit(second.status);
