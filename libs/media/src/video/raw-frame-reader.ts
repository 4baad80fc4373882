/**
 * Cuts a byte stream (ffmpeg's rawvideo stdout) into frames of exactly
 * `frameBytes`. Pipe chunks (64 kB) never line up with frames, so each frame
 * is assembled in a buffer of its own (the whole of its ArrayBuffer) that
 * the consumer may keep or hand to another thread. Only one frame is held
 * at a time: the pipe's backpressure pauses ffmpeg while the consumer
 * works, so a long video is never buffered whole. `allocate` makes each
 * frame's buffer (a FrameRecycler's take, to use buffers again).
 */
export async function* readFixedSizeFrames(
  source: AsyncIterable<Buffer>,
  frameBytes: number,
  // Never from Node's shared pool (a small frame would be): a frame owns its ArrayBuffer, so a consumer may hand it to another thread.
  allocate: (bytes: number) => Buffer = (bytes) => Buffer.allocUnsafeSlow(bytes),
): AsyncGenerator<Buffer> {
  if (!Number.isSafeInteger(frameBytes) || frameBytes <= 0) throw new RangeError(`Frame size must be a positive integer, got ${frameBytes}`);
  let frame: Buffer | null = null;
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      frame ??= allocate(frameBytes);
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      chunk.copy(frame, filled, offset, offset + take);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        const complete = frame;
        frame = null;
        filled = 0;
        yield complete;
      }
    }
  }
  if (filled > 0) throw new Error(`Raw video ended inside a frame (${filled} of ${frameBytes} bytes)`);
}
