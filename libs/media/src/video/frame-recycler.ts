/**
 * Frame buffers used again instead of made for every frame. Each 720p frame
 * is 2.7 MB, and a new buffer of that size is fresh memory: writing a frame
 * into it cost more in page faults than in copying (about 10 ms of the main
 * thread's CPU a frame on these machines, in a profile of the video bench).
 * A buffer given back is already mapped.
 *
 * The buffers are SharedArrayBuffers, so another thread (a compute thread
 * hashing the frame) reads a frame in place, with neither a copy nor a
 * transfer. A consumer gives a frame back only once nothing reads it any
 * more. Taking never waits: when none has been given back, a new buffer is
 * made, so a consumer that keeps its frames only forgoes the reuse.
 */
export class FrameRecycler {
  private readonly free: Buffer[] = [];

  /** `keep`: at most this many frames wait to be used again (the frames a consumer has in flight at once). */
  constructor(private readonly keep: number) {
    if (!(Number.isInteger(keep) && keep > 0)) throw new RangeError(`keep must be a positive integer, got ${keep}`);
  }

  /** A buffer of `bytes` bytes, with whatever a previous frame left in it. */
  take(bytes: number): Buffer {
    const index = this.free.findIndex((frame) => frame.byteLength === bytes);
    if (index >= 0) return this.free.splice(index, 1)[0];
    return Buffer.from(new SharedArrayBuffer(bytes));
  }

  /** A frame nothing reads any more, to be used again; one this recycler did not make is ignored. */
  giveBack(frame: Buffer): void {
    if (!(frame.buffer instanceof SharedArrayBuffer) || frame.byteOffset !== 0 || frame.byteLength !== frame.buffer.byteLength) return;
    if (this.free.length >= this.keep || this.free.includes(frame)) return;
    this.free.push(frame);
  }
}
