export * from './analysis.module';
export * from './transparency';
