import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';

/** The data kept beside the repository (conformance vectors); a user's clone has none. */
export const SHARED_DIR = path.resolve(PROJECT_ROOT, '../shared');

/**
 * Whether `file` (a path under ../shared) is there for a test to read. Without
 * it a test skips with a message, except under CI=true: CI always has
 * ../shared, so a missing file there means something broke, and the suite
 * fails instead of passing by skipping.
 */
export function haveSharedData(file: string, what: string): boolean {
  if (existsSync(file)) return true;
  const message = `${path.relative(PROJECT_ROOT, file)} not found: ${what} needs ../shared`;
  if (process.env.CI === 'true') throw new Error(`${message}, and CI always has it`);
  console.warn(`${message}: skipping`);
  return false;
}
