import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PROJECT_ROOT } from '@loupe/common';

const versions = new Map<string, string>();

/** A hash of the files that make a fixture and of sharp's libraries, which encode it. */
function versionOf(sources: readonly string[]): string {
  const key = sources.join('\n');
  let version = versions.get(key);
  if (!version) {
    const hash = createHash('sha256');
    for (const file of sources) hash.update(file).update(readFileSync(path.join(PROJECT_ROOT, file)));
    version = hash.update(JSON.stringify(sharp.versions)).digest('hex').slice(0, 16);
    versions.set(key, version);
  }
  return version;
}

/**
 * A test image that a deterministic factory draws, kept in the temporary
 * directory (`loupe-test-fixtures-<uid>/<kind>`) under a name that changes with the
 * factory's `sources` (paths from the repository's root) and with sharp's
 * libraries. The suite draws thousands of them, many the same from file to
 * file and run to run, and in Jest's sandbox a drawing costs up to 100 ms of
 * CPU; a kept one is a file read. The bytes are the same either way: delete
 * the directory to draw them again.
 */
export async function keptFixture(kind: string, sources: readonly string[], name: string, draw: () => Promise<Buffer>): Promise<Buffer> {
  // Per user: a directory another user made would refuse this one's writes.
  const dir = path.join(tmpdir(), `loupe-test-fixtures-${process.getuid?.() ?? 'any'}`, kind);
  const file = path.join(dir, `${versionOf(sources)}-${name}`);
  const kept = await readFile(file).catch(() => null);
  if (kept) return kept;
  const bytes = await draw();
  // Written beside its name and renamed into place: a file running beside this one never reads half
  // of it. Keeping it is a saving, not a need: a full or read-only disk leaves the test its bytes.
  const partial = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch {
    await rm(partial, { force: true }).catch(() => undefined);
  }
  return bytes;
}
