export * from './term-series';
export { logFactorial, logGamma, logPoissonPmf, poissonUpperTail } from './poisson-tail';
export * from './poisson-burst';
export * from './kleinberg-burst';
export * from './top-terms';
export * from './detect';
