/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // Three files at a time on the two cores: e2e files spend part of their
  // time waiting (timers, polls, child processes), and with two workers the
  // cores sat idle 15% of the run. Each e2e file has its own databases,
  // queue prefix and port, so files never share state.
  maxWorkers: 3,
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
