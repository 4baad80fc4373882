export * from './synthetic-streams';
export * from './scenarios';
