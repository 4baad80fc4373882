// Evaluation: a candidate model against the champion, per policy, and the gates a promotion must pass.
export * from './metrics';
export * from './thresholds';
export * from './slices';
export * from './evaluation-report';
export * from './gates';
