import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';

/**
 * The registry's artefacts, content-addressed under MODELS_DIR:
 * <sha256[0:2]>/<sha256>.onnx. The same bytes are stored once, a stored
 * file never changes, and every process finds a version's graph by its
 * hash alone.
 */
@Injectable()
export class ModelArtefacts {
  constructor(private readonly config: LoupeConfig) {}

  path(sha256: string): string {
    return path.join(this.config.storage.modelsDir, sha256.slice(0, 2), `${sha256}.onnx`);
  }

  /** Stores the bytes (written to a temporary name, then renamed) and returns their sha256. */
  async put(bytes: Uint8Array): Promise<{ sha256: string; bytes: number; path: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.path(sha256);
    const exists = await stat(target).then(
      (s) => s.size === bytes.length,
      () => false,
    );
    if (!exists) {
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    }
    return { sha256, bytes: bytes.length, path: target };
  }

  /** The bytes of an artefact, checked against their hash: a file changed on disk must not serve. */
  async get(sha256: string): Promise<Uint8Array> {
    const bytes = await readFile(this.path(sha256));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) throw new Error(`Model artefact ${sha256} does not match its hash (got ${actual})`);
    return bytes;
  }
}
