/*
 * The slice of the WebAssembly JavaScript API the index uses, typed here:
 * the repository compiles with lib ES2023 and @types/node 20, and neither
 * declares WebAssembly. A global declaration would clash with lib "DOM" the
 * day a project adds it, so these types stay local to the library.
 */

/** A compiled module; opaque, and cloneable into worker threads. */
export interface WasmModule {
  readonly __brand?: 'WasmModule';
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** Grows by whole 64 KiB pages, in place: views of the old buffer are detached. */
  grow(deltaPages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}

export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
