// Test fixtures of libs/ml, kept out of the library's public index and of the build.
export * from './random-heads';
export * from './brightness-model';
export * from './backbone-images';
export * from './uploaded-model';
