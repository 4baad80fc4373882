/*
 * The compiled kernels (assembly/ -> wasm/pdq-index.wasm) as seen from
 * TypeScript. Addresses are byte offsets into the instance's memory; the
 * layout is KernelMemory's.
 *
 * This file must not import @loupe/common (or anything that loads NestJS):
 * the shard threads import the index through it, and they receive the
 * compiled module from the main thread instead of finding the file.
 */

import { Wasm, WasmMemory, WasmModule } from './wasm-api';

export interface PdqKernelExports {
  scan(qp: number, nq: number, pp: number, sp: number, n: number, t: number, out: number, cap: number): number;
  scanPrefixBits(t: number): number;
  mihInitMasks(mk: number): void;
  mihPlan(qp: number, nq: number, t: number, off: number, mk: number, plan: number, scratch: number, limit: number): number;
  mihSearch(
    qp: number,
    nq: number,
    t: number,
    pp: number,
    sp: number,
    n: number,
    off: number,
    post: number,
    mk: number,
    plan: number,
    buf: number,
    bufCap: number,
    out: number,
    cap: number,
  ): number;
  mihCount(pp: number, sp: number, from: number, to: number, off: number): void;
  mihPrefix(off: number): void;
  mihFill(pp: number, sp: number, from: number, to: number, off: number, post: number, n: number): void;
  mihFinish(off: number): void;
}

let resolveDefault: (() => WasmModule) | null = null;

/** Installed by kernel.loader.ts, which knows where the .wasm lives. */
export function setDefaultPdqKernel(resolve: () => WasmModule): void {
  resolveDefault = resolve;
}

export function defaultPdqKernel(): WasmModule {
  if (!resolveDefault) {
    throw new Error('No PDQ index kernel: import @loupe/index (it locates the .wasm) or pass options.kernel');
  }
  return resolveDefault();
}

export function instantiatePdqKernel(module: WasmModule, memory: WasmMemory): PdqKernelExports {
  const instance = new Wasm.Instance(module, { env: { memory } });
  return instance.exports as unknown as PdqKernelExports;
}
