import { execFileSync } from 'node:child_process';
import { PDQ_KERNEL_BUILD_SCRIPT } from '../kernel.loader';

/**
 * Builds libs/index/wasm/pdq-index.wasm when it is missing or older than the
 * kernel sources, so `npm run jest -- libs/index` works on a fresh checkout.
 * Specs call it at load time, before anything compiles the kernel.
 */
export function ensurePdqKernelBuilt(): void {
  execFileSync(process.execPath, [PDQ_KERNEL_BUILD_SCRIPT, '--if-missing'], { stdio: 'inherit' });
}
