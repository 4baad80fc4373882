import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';

export const DATASET_MANIFEST = 'manifest.json';
export const DATASET_ROWS = 'rows.jsonl';

/**
 * A dataset's files: DATA_DIR/datasets/<id>/manifest.json and rows.jsonl.
 * They are written into a hidden directory and renamed into place, so a
 * dataset's directory is complete or absent, never half-written.
 */
@Injectable()
export class DatasetFiles {
  constructor(private readonly config: LoupeConfig) {}

  directory(id: string): string {
    return path.join(this.config.storage.datasetsDir, id);
  }

  /** Writes the rows (one JSON value per line) and then the manifest, which `manifest(rowsSha256)` builds. */
  async write(id: string, rows: Iterable<unknown>, manifest: (rowsSha256: string) => unknown): Promise<void> {
    const staging = path.join(this.config.storage.datasetsDir, `.staging-${id}`);
    await mkdir(staging, { recursive: true });
    try {
      const sha = createHash('sha256');
      const out = createWriteStream(path.join(staging, DATASET_ROWS));
      for (const row of rows) {
        const line = `${JSON.stringify(row)}\n`;
        sha.update(line);
        if (!out.write(line)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      await writeFile(path.join(staging, DATASET_MANIFEST), `${JSON.stringify(manifest(sha.digest('hex')), null, 2)}\n`);
      await rename(staging, this.directory(id));
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.directory(id), { recursive: true, force: true });
  }

  async manifest(id: string): Promise<unknown> {
    return JSON.parse(await readFile(path.join(this.directory(id), DATASET_MANIFEST), 'utf8'));
  }

  rowsPath(id: string): string {
    return path.join(this.directory(id), DATASET_ROWS);
  }

  /** The rows, parsed, one at a time. */
  async *rows<T>(id: string): AsyncGenerator<T> {
    const lines = createInterface({ input: createReadStream(this.rowsPath(id)), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as T;
  }
}
