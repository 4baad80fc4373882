/**
 * A CPU profile of each test file's process, from the file's first module to
 * its last hook: `npm run jest -- --testEnvironment test/utils/diagnostics/profiling.environment.js`
 * with LOUPE_JEST_PROFILE_DIR=<dir>, then
 * `npx tsx bench/cpu-profile-summary.ts <dir>/*.cpuprofile --merge`.
 *
 * Why: `node --cpu-prof` on Jest writes profiles for the servers' threads
 * and child processes only; Jest stops its worker processes before they
 * write theirs, and they do most of the suite's work (the tests, and each
 * e2e file's server, whose code runs on the worker's main thread). Here the
 * inspector records the main thread of the worker for one file at a time.
 *
 * Read the times with care on a loaded machine: V8 samples wall-clock
 * intervals, so a thread that waits for a core inside a call (a socket write
 * that wakes PostgreSQL, a postMessage that wakes a thread) is charged for
 * the wait. Files that name their own environment (`@jest-environment`) are
 * not profiled.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');
const path = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

const post = (session, method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

class ProfilingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.rootDir = config.projectConfig.rootDir;
    this.dir = process.env.LOUPE_JEST_PROFILE_DIR;
    if (!this.dir) throw new Error('profiling.environment: set LOUPE_JEST_PROFILE_DIR to the directory for the profiles');
  }

  async setup() {
    await super.setup();
    this.session = new Session();
    this.session.connect();
    await post(this.session, 'Profiler.enable');
    await post(this.session, 'Profiler.setSamplingInterval', { interval: 1000 });
    await post(this.session, 'Profiler.start');
  }

  async teardown() {
    try {
      const { profile } = await post(this.session, 'Profiler.stop');
      mkdirSync(this.dir, { recursive: true });
      const name = path.relative(this.rootDir, this.testPath).replace(/[\\/]/g, '__');
      writeFileSync(path.join(this.dir, `${name}.cpuprofile`), JSON.stringify(profile));
    } finally {
      this.session.disconnect();
      await super.teardown();
    }
  }
}

module.exports = ProfilingEnvironment;
