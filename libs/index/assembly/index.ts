/*
 * Kernels of @loupe/index, compiled to WebAssembly by scripts/build-wasm.js.
 * They work on raw addresses in a memory the TypeScript side lays out
 * (src/kernel-memory.ts); nothing here allocates.
 */
export { scan, scanPrefixBits } from './scan';
export { mihInitMasks, mihPlan, mihSearch, mihCount, mihPrefix, mihFill, mihFinish, MIH_MAX_RADIUS, MIH_MASK_TABLE_BYTES, MIH_RANGE_BYTES } from './mih';
