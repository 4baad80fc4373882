export * from './pdq/pdq.constants';
export * from './pdq/pdq-hash';
export * from './pdq/pdq-hasher';
export { rgbToLuma } from './pdq/rgb-luma';
export * from './vpdq/vpdq.constants';
export * from './vpdq/vpdq-feature';
export * from './vpdq/vpdq-hasher';
export * from './vpdq/vpdq-matcher';
export * from './vpdq/vpdq-text-format';
