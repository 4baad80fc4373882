export * from './pdq/pdq.constants';
export * from './pdq/pdq-hash';
export * from './pdq/pdq-hasher';
export { rgbToLuma } from './pdq/rgb-luma';
