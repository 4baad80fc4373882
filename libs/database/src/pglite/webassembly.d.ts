/*
 * The part of WebAssembly's API that the PGlite thread's client uses. Node 20
 * has it, but @types/node 20 leaves it to lib.dom, which this project does
 * not include (the runtimes here are Node's, not a browser's).
 */
declare namespace WebAssembly {
  /** A compiled module: cloned to a worker thread, it shares its machine code. */
  type Module = object;
  function compile(bytes: Uint8Array): Promise<Module>;
}
