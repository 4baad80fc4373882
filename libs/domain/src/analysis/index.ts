export * from './analysis.module';
export * from './transparency';
export * from './misses';
export * from './accuracy';
export * from './reach';
export * from './trends';
export * from './retro-hunt';
