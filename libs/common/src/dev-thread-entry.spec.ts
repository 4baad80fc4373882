import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const loadThreadEntry = require('./dev-thread-entry.cjs') as (source: string) => { from: string };

describe('dev-thread-entry', () => {
  let root: string;
  const saved = process.env.LOUPE_THREADS_FROM_BUILD;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'loupe-thread-entry-'));
    mkdirSync(path.join(root, 'libs/x/src'), { recursive: true });
    mkdirSync(path.join(root, 'dist/libs/x/src'), { recursive: true });
    writeFileSync(path.join(root, 'libs/x/src/x.worker.ts'), "export const from: string = 'source';\n");
    writeFileSync(path.join(root, 'dist/libs/x/src/x.worker.js'), "exports.from = 'build';\n");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LOUPE_THREADS_FROM_BUILD;
    else process.env.LOUPE_THREADS_FROM_BUILD = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it("loads the build's twin when LOUPE_THREADS_FROM_BUILD names the root", () => {
    process.env.LOUPE_THREADS_FROM_BUILD = root;
    expect(loadThreadEntry(path.join(root, 'libs/x/src/x.worker.ts')).from).toBe('build');
  });

  it('loads the TypeScript source otherwise', () => {
    delete process.env.LOUPE_THREADS_FROM_BUILD;
    expect(loadThreadEntry(path.join(root, 'libs/x/src/x.worker.ts')).from).toBe('source');
  });
});
