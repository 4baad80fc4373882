export * from './errors/api.error';
export * from './project-root';
export * from './periodic-task';
export * from './cron';
export * from './seeded-random';
export * from './synthetic-photo';
export * from './process-group';
