#!/usr/bin/env node
/*
 * Compiles the AssemblyScript kernels (libs/index/assembly) into
 * libs/index/wasm/pdq-index.wasm, a build artefact that is not committed.
 *
 *   node libs/index/scripts/build-wasm.js [--if-missing]
 *
 * --if-missing skips the compile when the .wasm exists and is newer than
 * every kernel source (the specs use it to build once on a fresh checkout).
 *
 * Flags: the kernels only touch memory the TypeScript side lays out, so they
 * use the stub runtime (no GC, no allocator) and import their memory; each
 * index segment instantiates the module over its own memory. `--use abort=`
 * drops the abort import, since --noAssert leaves nothing that could call it.
 * No SIMD: the scalar i64.popcnt kernels measured faster (see assembly/scan.ts).
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, renameSync, statSync } = require('node:fs');
const path = require('node:path');

const LIB = path.resolve(__dirname, '..');
const SOURCES = path.join(LIB, 'assembly');
const ENTRY = path.join(SOURCES, 'index.ts');
const OUT_DIR = path.join(LIB, 'wasm');
const OUT = path.join(OUT_DIR, 'pdq-index.wasm');

function upToDate() {
  if (!existsSync(OUT)) return false;
  const built = statSync(OUT).mtimeMs;
  return readdirSync(SOURCES)
    .filter((f) => f.endsWith('.ts'))
    .every((f) => statSync(path.join(SOURCES, f)).mtimeMs <= built);
}

function ascBin() {
  // assemblyscript's "exports" map hides package.json from require.resolve
  // but exposes "./*", so resolve the bin through it.
  return require.resolve('assemblyscript/bin/asc.js', { paths: [LIB] });
}

function build() {
  mkdirSync(OUT_DIR, { recursive: true });
  // Compile beside the target and rename: parallel jest workers may build at
  // once, and none of them may read a half-written module.
  const temporary = `${OUT}.${process.pid}.tmp`;
  const args = [
    ascBin(),
    ENTRY,
    '--outFile',
    temporary,
    '-O3',
    '--noAssert',
    '--runtime',
    'stub',
    '--importMemory',
    '--use',
    'abort=',
  ];
  execFileSync(process.execPath, args, { stdio: 'inherit' });
  renameSync(temporary, OUT);
}

if (require.main === module) {
  if (process.argv.includes('--if-missing') && upToDate()) process.exit(0);
  build();
  console.log(`built ${path.relative(process.cwd(), OUT)}`);
}

module.exports = { build, upToDate, OUT };
