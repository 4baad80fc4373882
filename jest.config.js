/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // Four files at a time on the two cores: e2e files spend part of their
  // time waiting (timers, polls, retries' backoff, child processes), and the
  // slowest-first order starts the longest waiters together. With three
  // workers the cores sat 20% idle for the first 80 s of the run (vmstat);
  // with four they were busy throughout and the run took 275 s against 288
  // to 300 s (docs/benchmarks.md, "2026-12-05, 13:00"). Each e2e file has its
  // own databases, queue prefix and port, so files never share state.
  maxWorkers: 4,
  globalSetup: '<rootDir>/test/utils/global-setup.js',
  reporters: ['default', '<rootDir>/test/utils/slowest-files.reporter.js'],
  testSequencer: '<rootDir>/test/utils/slowest-first.sequencer.js',
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // drizzle-orm's entity.cjs gets `Object` as a local binding (vm-globals.transform.js); every other
  // module under node_modules is left as it is.
  transformIgnorePatterns: ['/node_modules/(?!drizzle-orm/entity\\.cjs$)'],
  transform: {
    '/node_modules/drizzle-orm/entity\\.cjs$': '<rootDir>/test/utils/vm-globals.transform.js',
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: {
    '^content-disposition$': '<rootDir>/test/utils/shims/content-disposition.js',
    '^@loupe/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@loupe/testing$': '<rootDir>/test/utils',
    '^@loupe/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing',
    '^@loupe/([a-z-]+)$': '<rootDir>/libs/$1/src',
  },
};
