// The loader comes first: it tells the kernel registry where the .wasm is.
export { PDQ_KERNEL_WASM, loadPdqKernel } from './kernel.loader';
export * from './index.types';
export { PdqIndex } from './pdq-index';
export type { PdqIndexOptions } from './pdq-index';
export { ThreadedPdqIndex } from './threaded-pdq-index';
export type { ThreadedPdqIndexOptions, ThreadedPdqIndexStats } from './threaded-pdq-index';
export { linearScan } from './linear-scan';
export { shardOf } from './shard-partition';
