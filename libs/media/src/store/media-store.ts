import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StagedFile {
  /** Absolute path of the temporary file. */
  path: string;
  sha256: string;
  bytes: number;
  /** The name the client gave the file; only a hint, never trusted for the format. */
  originalName?: string;
}

/** link(2) errors of file systems that have no hard links. */
const LINKLESS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Files on disk, addressed by the SHA-256 of their bytes: the same upload
 * twice is stored once, and a stored file never changes under its name.
 * Writes go to tmp/ first and are renamed into place, so a crash or a
 * rejected upload never leaves a partial file at a real address.
 */
export class MediaStore {
  constructor(readonly root: string) {}

  /** Streams an upload to a temporary file, hashing it on the way. */
  async stage(source: NodeJS.ReadableStream): Promise<StagedFile> {
    const dir = path.join(this.root, 'tmp');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    return { path: file, sha256: hash.digest('hex'), bytes };
  }

  async discard(staged: StagedFile): Promise<void> {
    await rm(staged.path, { force: true });
  }

  originalPath(sha256: string, extension: string): string {
    return path.posix.join('originals', sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${extension}`);
  }

  /**
   * Creates the directory of a staged file's content address, so that the
   * commit that follows is one link. Content addresses spread over 65,536
   * directories, so on a young store most uploads need a new one; made here,
   * before the upload opens its transaction, the mkdirs stay out of it (see
   * commit). Directories are never removed, so nothing undoes this meanwhile.
   */
  async prepareCommit(staged: StagedFile, extension: string): Promise<void> {
    await mkdir(path.dirname(this.resolve(this.originalPath(staged.sha256, extension))), { recursive: true });
  }

  /**
   * Puts a staged file at its content address; returns the path relative to
   * the root. A hard link creates the address only if it is free, atomically,
   * so a committed original is never replaced or touched by a concurrent
   * commit of the same bytes (a check-then-rename would race).
   *
   * One file operation when the address's directory exists: ingest commits
   * inside its database transaction, which on the embedded database holds
   * every other query until it ends, and each operation waits for a thread
   * of libuv's pool, which image decoding keeps busy. So the directory is
   * made beforehand (prepareCommit), or here only when the link finds it
   * missing, and the staged file is left for the caller to discard (the
   * upload interceptor does, after the handler) instead of being removed here.
   */
  async commit(staged: StagedFile, extension: string): Promise<string> {
    const relative = this.originalPath(staged.sha256, extension);
    const target = this.resolve(relative);
    try {
      await this.linkOrPlace(staged.path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path.dirname(target), { recursive: true });
      await this.linkOrPlace(staged.path, target);
    }
    return relative;
  }

  private async linkOrPlace(source: string, target: string): Promise<void> {
    try {
      await link(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      // EEXIST: the same bytes are already there, which is what we wanted.
      if (LINKLESS.has(code)) await this.placeIfAbsent(source, target);
      else if (code !== 'EEXIST') throw error;
    }
  }

  /** Without hard links: rename unless the address is taken (a narrow race, but never a loss: the bytes are the same). */
  private async placeIfAbsent(source: string, target: string): Promise<void> {
    if (!(await this.exists(target))) await rename(source, target);
  }

  resolve(relative: string): string {
    const target = path.resolve(this.root, relative);
    if (!target.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`Path escapes the media store: ${relative}`);
    return target;
  }

  async read(relative: string): Promise<Buffer> {
    return readFile(this.resolve(relative));
  }

  async remove(relative: string): Promise<void> {
    await rm(this.resolve(relative), { force: true });
  }

  derivedPath(sha256: string, name: string): string {
    return path.posix.join('derived', sha256.slice(0, 2), sha256.slice(2, 4), sha256, name);
  }

  /** Writes a derivative (model input, preview) of an original, atomically. */
  async writeDerived(sha256: string, name: string, data: Buffer): Promise<string> {
    const relative = this.derivedPath(sha256, name);
    const target = this.resolve(relative);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.part`;
    await writeFile(temp, data);
    await rename(temp, target);
    return relative;
  }

  async exists(file: string): Promise<boolean> {
    try {
      await stat(path.isAbsolute(file) ? file : this.resolve(file));
      return true;
    } catch {
      return false;
    }
  }

  /** Moves a staged file under `folder` with a fresh name, for files kept until a job has used them. */
  async keep(staged: StagedFile, folder: string, extension: string): Promise<string> {
    const relative = path.posix.join(folder, `${randomUUID()}.${extension}`);
    const target = this.resolve(relative);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(staged.path, target);
    return relative;
  }
}
