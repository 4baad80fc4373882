// Moderator accuracy: pure statistics for the analysis module (gold accuracy, agreement, Dawid–Skene).
export * from './labels';
export * from './gold-accuracy';
export * from './agreement';
export * from './dawid-skene';
