/*
 * Animated GIFs for tests, written byte by byte: sharp's GIF encoder needs
 * minutes for thousands of frames, and a frame-count limit must be tested
 * with thousands. Nothing binary is checked in.
 */

/**
 * A GIF of `frames` 1x1 frames (alternately black and white), each shown for
 * `delayCs` hundredths of a second: tiny, and as many frames as asked.
 */
export function manyFrameGif(frames: number, delayCs = 10): Buffer {
  const header = Buffer.from('GIF89a', 'latin1');
  // Logical screen 1x1, a global colour table of 2 entries: black, white.
  const screen = Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 0x03, 0x01, 0x00, 0x00, 0x00]);
  const frame = (colour: number) =>
    Buffer.from([
      // Graphic control extension: the delay, no transparency.
      0x21, 0xf9, 0x04, 0x00, delayCs & 0xff, delayCs >> 8, 0x00, 0x00,
      // Image descriptor: 1x1 at the origin, no local colour table.
      0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00,
      // LZW, minimum code size 2: clear (4), the colour, end (5), packed in 3-bit codes.
      0x02, 0x02, 0x04 | (colour << 3) | 0x40, 0x01, 0x00,
    ]);
  const body = Array.from({ length: frames }, (_, i) => frame(i % 2));
  return Buffer.concat([header, screen, loop, ...body, Buffer.from([0x3b])]);
}
