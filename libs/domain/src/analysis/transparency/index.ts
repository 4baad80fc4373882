export * from './dsa-vocabulary';
export * from './dsa-categories';
export * from './dsa-statement';
export { DSA_RULES, validateDsaBatch, validateDsaStatement } from './dsa-validate';
export type { DsaProblem, DsaRule } from './dsa-validate';
export * from './dsa-batch';
export * from './report-period';
export * from './transparency-figures';
export * from './transparency.service';
