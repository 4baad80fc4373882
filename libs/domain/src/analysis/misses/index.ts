export * from './misses.types';
export * from './miss-cohort';
export * from './miss-causes';
export * from './miss-figures';
export * from './miss-what-if';
export * from './misses-csv';
export * from './misses.service';
export * from './misses-rollup.service';
