#!/usr/bin/env node
/*
 * Compiles the AssemblyScript kernels into WebAssembly, build artefacts that
 * are not committed:
 *
 *   libs/index/assembly/index.ts     -> libs/index/wasm/pdq-index.wasm    (match index: scan, MIH)
 *   libs/hashing/assembly/jarosz.ts  -> libs/hashing/wasm/pdq-jarosz.wasm (PDQ's blur, SIMD)
 *
 *   node scripts/build-wasm.js [--if-missing]
 *
 * --if-missing skips a kernel whose .wasm exists and is newer than every one
 * of its sources (the test run uses it to build once on a fresh checkout).
 *
 * Flags: the kernels only touch memory the TypeScript side lays out, so they
 * use the stub runtime (no GC, no allocator) and import their memory; each
 * instance gets its own. `--use abort=` drops the abort import, since
 * --noAssert leaves nothing that could call it. The index's kernels are
 * scalar (its i64.popcnt measured faster than SIMD, libs/index/assembly/scan.ts);
 * the blur is SIMD (Node 20's V8 has it on by default).
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, renameSync, statSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

const KERNELS = [
  { lib: 'index', entry: 'index.ts', out: 'pdq-index.wasm', features: [] },
  { lib: 'hashing', entry: 'jarosz.ts', out: 'pdq-jarosz.wasm', features: ['--enable', 'simd'] },
].map((kernel) => ({
  ...kernel,
  sources: path.join(ROOT, 'libs', kernel.lib, 'assembly'),
  outFile: path.join(ROOT, 'libs', kernel.lib, 'wasm', kernel.out),
}));

/** Built after every source of the kernel, and after this script (its flags make the .wasm too). */
function upToDate(kernel) {
  if (!existsSync(kernel.outFile)) return false;
  const built = statSync(kernel.outFile).mtimeMs;
  const inputs = [__filename, ...readdirSync(kernel.sources).filter((f) => f.endsWith('.ts')).map((f) => path.join(kernel.sources, f))];
  return inputs.every((file) => statSync(file).mtimeMs <= built);
}

function ascBin() {
  // assemblyscript's "exports" map hides package.json from require.resolve
  // but exposes "./*", so resolve the bin through it.
  return require.resolve('assemblyscript/bin/asc.js', { paths: [ROOT] });
}

function build(kernel) {
  mkdirSync(path.dirname(kernel.outFile), { recursive: true });
  // Compile beside the target and rename: a build and a test run may overlap,
  // and neither may read a half-written module.
  const temporary = `${kernel.outFile}.${process.pid}.tmp`;
  const args = [
    ascBin(),
    path.join(kernel.sources, kernel.entry),
    '--outFile',
    temporary,
    '-O3',
    '--noAssert',
    '--runtime',
    'stub',
    '--importMemory',
    '--use',
    'abort=',
    ...kernel.features,
  ];
  execFileSync(process.execPath, args, { stdio: 'inherit' });
  renameSync(temporary, kernel.outFile);
}

/** Builds every kernel (with `ifMissing`, only those missing or older than their sources); returns what it built. */
function buildKernels(ifMissing = false) {
  const built = [];
  for (const kernel of KERNELS) {
    if (ifMissing && upToDate(kernel)) continue;
    build(kernel);
    built.push(path.relative(process.cwd(), kernel.outFile));
  }
  return built;
}

if (require.main === module) {
  for (const file of buildKernels(process.argv.includes('--if-missing'))) console.log(`built ${file}`);
}

module.exports = { buildKernels, KERNELS };
