/**
 * Renders images for the ML engineer's walk-through in the README: the
 * "lantern", a made-up symbol that no model knows, on procedural scenes,
 * and as many images without it (look-alike decoys and plain scenes). The
 * file name says which is which: symbol-<n>.png, decoy-<n>.png, plain-<n>.png.
 *
 *   npx tsx scripts/render-symbols.ts [--out symbols] [--count 40] [--seed 1]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSymbolImage } from '../test/utils/factories/symbol.factory';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};

async function main(): Promise<void> {
  const out = path.resolve(arg('--out', 'symbols'));
  const count = Number(arg('--count', '40'));
  const seed = Number(arg('--seed', '1')) * 100_000;
  await mkdir(out, { recursive: true });
  for (let i = 0; i < count; i++) {
    const other = i % 2 === 0 ? 'decoy' : 'plain';
    await writeFile(path.join(out, `symbol-${i}.png`), await makeSymbolImage({ seed: seed + 2 * i, kind: 'symbol' }));
    await writeFile(path.join(out, `${other}-${i}.png`), await makeSymbolImage({ seed: seed + 2 * i + 1, kind: other }));
  }
  console.log(`wrote ${2 * count} images to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
