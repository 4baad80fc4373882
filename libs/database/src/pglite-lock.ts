import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes opening one data
 * directory corrupt it. This lock turns that into a clear error instead.
 */
export class PgliteLock {
  private constructor(private readonly file: string) {}

  static acquire(file: string): PgliteLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new PgliteLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
        if (Number.isFinite(holder) && holder !== process.pid && isAlive(holder)) {
          throw new Error(
            `The embedded database is in use by process ${holder} (${file}). ` +
              'Stop that process, or point DATABASE_URL at a PostgreSQL server to share one database.',
          );
        }
        rmSync(file, { force: true });
      }
    }
    throw new Error(`Could not lock the embedded database (${file})`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}
