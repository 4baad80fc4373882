/* Media made for tests and benchmarks; excluded from the build, never imported by the platform. */
export * from './animation-fixture';
export * from './lavfi-fixture';
