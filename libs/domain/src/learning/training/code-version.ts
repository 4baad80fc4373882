import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '@loupe/common';

let cached: string | undefined;

/**
 * Which code trained a model: Loupe's version and, in a git checkout, the
 * commit (read from .git, without running git), e.g. `loupe@0.1.0+931f2f1`.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const root = PROJECT_ROOT;
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const commit = gitCommit(root);
  cached = `loupe@${version}${commit ? `+${commit.slice(0, 12)}` : ''}`;
  return cached;
}

function gitCommit(root: string): string | null {
  try {
    const head = readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    const loose = path.join(root, '.git', ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(path.join(root, '.git', 'packed-refs'), 'utf8');
    return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? null;
  } catch {
    return null;
  }
}
