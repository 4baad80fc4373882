export * from './api-client';
export * from './factories/content.factory';
export * from './factories/image.factory';
export * from './postgres';
export * from './test-app';
export * from './wait-for';
export * from './processes';
