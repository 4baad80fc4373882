import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every file below `dir` (none when it does not exist): for checking that nothing was left behind. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
