import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'loupe') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the Loupe package root above ${start}`);
    dir = parent;
  }
}

/**
 * The package root, found the same way from source (tsx, jest) and from
 * dist/, so data files such as migrations and the policy catalog are never
 * copied into the build.
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);
