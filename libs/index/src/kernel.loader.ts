import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '@loupe/common';
import { setDefaultPdqKernel } from './pdq-kernel';
import { Wasm, WasmModule } from './wasm-api';

/*
 * The .wasm is a build artefact (scripts/build-wasm.js), found from the
 * package root so the same path works from the sources (jest, tsx) and from
 * dist/libs/index/src, which holds no copy.
 */
export const PDQ_KERNEL_WASM = path.join(PROJECT_ROOT, 'libs', 'index', 'wasm', 'pdq-index.wasm');
const PDQ_KERNEL_BUILD_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'build-wasm.js');

let cached: WasmModule | null = null;

/** Compiles the kernels once per thread; the module can be posted to other threads. */
export function loadPdqKernel(): WasmModule {
  if (cached) return cached;
  if (!existsSync(PDQ_KERNEL_WASM)) {
    throw new Error(
      `The PDQ index kernel ${PDQ_KERNEL_WASM} is missing: build it with ` +
        `\`node ${path.relative(process.cwd(), PDQ_KERNEL_BUILD_SCRIPT)}\` (part of npm run build)`,
    );
  }
  cached = new Wasm.Module(readFileSync(PDQ_KERNEL_WASM));
  return cached;
}

setDefaultPdqKernel(loadPdqKernel);
