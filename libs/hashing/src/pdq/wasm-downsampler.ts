import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PDQ_DOWNSAMPLE_SIZE } from './pdq.constants';
import { assertLumaSize, assertRgbSize } from './rgb-luma';

/*
 * The blur and decimation in WebAssembly SIMD (assembly/jarosz.ts), bit-exact
 * with JaroszDownsampler, the scalar TypeScript of the same, and several times
 * faster: each v128 lane filters its own row or column, 16 at a time.
 *
 * The .wasm is a build artefact (scripts/build-wasm.js) under
 * libs/hashing/wasm, found by walking up from this file, so the same lookup
 * works from the sources (jest, tsx) and from dist/, which holds no copy.
 * Not through @loupe/common's PROJECT_ROOT: the match index's shard threads
 * import @loupe/hashing, and must not load NestJS with it.
 */
const KERNEL_PATH = path.join('libs', 'hashing', 'wasm', 'pdq-jarosz.wasm');

function kernelFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, KERNEL_PATH);
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) {
      throw new Error(`The PDQ blur kernel ${KERNEL_PATH} is missing above ${__dirname}: build it with \`npm run build:wasm\` (part of npm run build)`);
    }
  }
}

/** The slice of the WebAssembly API used here: neither lib ES2023 nor @types/node 20 declares it. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface JaroszKernel {
  pitchOf(width: number): number;
  jaroszDownsample(src: number, isRgb: boolean, width: number, height: number, g: number, r1: number, t: number, k: number, out: number): void;
}

let compiled: object | null = null;

/** Compiles the kernel once per thread. */
function jaroszKernel(): object {
  compiled ??= new Wasm.Module(readFileSync(kernelFile()));
  return compiled;
}

const PAGE = 65536;
const N = PDQ_DOWNSAMPLE_SIZE;
/** The kernel has no static data; its buffers start clear of address 0. */
const SOURCE_OFFSET = PAGE;

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * A memory grown past this is dropped at the next call that fits in it: a
 * wasm memory never shrinks, and a 4096x4096 video frame needs about 185 MB
 * (11 bytes a pixel). A run of such frames keeps one memory; the photos and
 * videos after them go back to one of this size, which holds a 1080p frame
 * or any image hashed at 1024 px or less.
 */
const KEPT_BYTES = 32 * 1024 * 1024;

/**
 * PDQ's 64x64 blurred sample of an image, computed in WebAssembly. Each
 * instance owns a memory that grows to the image's size and is reused (up to
 * KEPT_BYTES, see above): cheap to call repeatedly, not to be shared between
 * threads.
 */
export class WasmJaroszDownsampler {
  private memory!: WasmMemory;
  private kernel!: JaroszKernel;

  constructor() {
    this.instantiate();
  }

  private instantiate(): void {
    const memory = new Wasm.Memory({ initial: 1 });
    const kernel = new Wasm.Instance(jaroszKernel(), { env: { memory } }).exports as JaroszKernel;
    this.memory = memory;
    this.kernel = kernel;
  }

  /** Bytes of wasm memory this instance holds between calls. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Packed RGB (3 bytes per pixel, no row padding) to a 64x64 blurred luma sample. */
  downsampleRgb(rgb: Uint8Array, width: number, height: number, out: Float32Array): void {
    assertRgbSize(rgb, width, height);
    const layout = this.prepare(width, height, width * height * 3);
    new Uint8Array(this.memory.buffer, SOURCE_OFFSET, width * height * 3).set(rgb.subarray(0, width * height * 3));
    this.run(layout, true, width, height, out);
  }

  /** Row-major float luma to a 64x64 blurred sample. The input is not modified. */
  downsampleLuma(luma: Float32Array, width: number, height: number, out: Float32Array): void {
    assertLumaSize(luma, width, height);
    const layout = this.prepare(width, height, width * height * 4);
    new Float32Array(this.memory.buffer, SOURCE_OFFSET, width * height).set(luma.subarray(0, width * height));
    this.run(layout, false, width, height, out);
  }

  private run(layout: Layout, isRgb: boolean, width: number, height: number, out: Float32Array): void {
    this.kernel.jaroszDownsample(SOURCE_OFFSET, isRgb, width, height, layout.group, layout.rows, layout.transposed, layout.kept, layout.out);
    out.set(new Float32Array(this.memory.buffer, layout.out, N * N));
  }

  /** Where each buffer goes (see assembly/jarosz.ts), with the memory grown to hold them all. */
  private prepare(width: number, height: number, sourceBytes: number): Layout {
    if (width < 1 || height < 1) throw new RangeError(`Cannot blur a ${width}x${height} image`);
    const pitch = this.kernel.pitchOf(width);
    const rows = (height + 15) & ~15;
    // The kernel reads whole vectors: up to 16 bytes past the source's last pixel.
    const group = align16(SOURCE_OFFSET + sourceBytes + 16);
    const planes = group + pitch * 64;
    const transposed = planes + pitch * rows * 4;
    const kept = transposed + pitch * rows * 4;
    const result = kept + rows * N * 4;
    const end = result + N * N * 4;
    if (this.memory.buffer.byteLength > KEPT_BYTES && end <= KEPT_BYTES) this.instantiate();
    const missing = Math.ceil(end / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (missing > 0) this.memory.grow(missing);
    return { group, rows: planes, transposed, kept, out: result };
  }
}

interface Layout {
  group: number;
  rows: number;
  transposed: number;
  kept: number;
  out: number;
}
