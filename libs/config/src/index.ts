export * from './config.module';
export * from './loupe-config';
