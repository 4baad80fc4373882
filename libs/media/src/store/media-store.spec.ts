import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MediaStore } from './media-store';

describe('MediaStore', () => {
  let root: string;
  let store: MediaStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'media-store-'));
    store = new MediaStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stages a stream with its SHA-256 and size, and commits it to its content address', async () => {
    const bytes = Buffer.from('hello media store');
    const staged = await store.stage(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(staged).toMatchObject({ sha256: sha, bytes: bytes.length });
    const relative = await store.commit(staged, 'png');
    expect(relative).toBe(`originals/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.png`);
    expect(await readFile(store.resolve(relative))).toEqual(bytes);
    // The staged file is the caller's to discard; the original stays whole without it.
    await store.discard(staged);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    expect(await readFile(store.resolve(relative))).toEqual(bytes);
  });

  it('prepares a content address ahead of its commit: the directory exists before, the file only after', async () => {
    const staged = await store.stage(Readable.from([Buffer.from('prepared first')]));
    const relative = store.originalPath(staged.sha256, 'jpg');
    await expect(stat(path.dirname(store.resolve(relative)))).rejects.toMatchObject({ code: 'ENOENT' });
    await store.prepareCommit(staged, 'jpg');
    await store.prepareCommit(staged, 'jpg'); // twice, as two uploads of the same bytes would
    expect((await stat(path.dirname(store.resolve(relative)))).isDirectory()).toBe(true);
    expect(await store.exists(relative)).toBe(false);
    expect(await store.commit(staged, 'jpg')).toBe(relative);
    expect(await readFile(store.resolve(relative), 'utf8')).toBe('prepared first');
  });

  it('stores the same bytes once', async () => {
    const staged = [await store.stage(Readable.from([Buffer.from('same')])), await store.stage(Readable.from([Buffer.from('same')]))];
    const first = await store.commit(staged[0], 'jpg');
    const second = await store.commit(staged[1], 'jpg');
    expect(second).toBe(first);
    expect(await readdir(path.dirname(store.resolve(first)))).toEqual([path.basename(first)]);
  });

  it('leaves no partial file when the stream fails', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.stage(failing)).rejects.toThrow('connection reset');
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('refuses paths that escape the store', () => {
    expect(() => store.resolve('../../etc/passwd')).toThrow(/escapes/);
  });

  it('writes derivatives atomically beside the original address', async () => {
    const relative = await store.writeDerived('ab'.repeat(32), 'model-input.rgb', Buffer.from([1, 2, 3]));
    expect(relative).toBe(`derived/ab/ab/${'ab'.repeat(32)}/model-input.rgb`);
    expect(await store.read(relative)).toEqual(Buffer.from([1, 2, 3]));
    expect(await store.exists(relative)).toBe(true);
  });

  it('keeps one intact original when many commits of the same bytes run at once, and never replaces it', async () => {
    for (let round = 0; round < 20; round++) {
      const bytes = Buffer.from(`same bytes, round ${round}`);
      const staged = await Promise.all(Array.from({ length: 8 }, () => store.stage(Readable.from([bytes]))));
      const [first, ...rest] = staged;
      const relative = await store.commit(first, 'png');
      const inode = (await stat(store.resolve(relative))).ino;
      const paths = await Promise.all(rest.map((s) => store.commit(s, 'png')));
      expect(new Set(paths)).toEqual(new Set([relative]));
      expect((await stat(store.resolve(relative))).ino).toBe(inode);
      expect(await readFile(store.resolve(relative))).toEqual(bytes);
      await Promise.all(staged.map((s) => store.discard(s)));
    }
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });
});
