const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The frame count an animated PNG declares (its acTL chunk, which must come
 * before the image data), or null for a still PNG or anything not a PNG.
 * sharp decodes only the default image of an APNG, so an animated one is
 * decoded with ffmpeg.
 */
export function animatedPngFrames(data: Buffer): number | null {
  if (!PNG_SIGNATURE.every((b, i) => data[i] === b)) return null;
  let offset = 8;
  while (offset + 12 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT' || type === 'IEND') return null;
    if (type === 'acTL' && length >= 8 && offset + 16 <= data.length) {
      const frames = data.readUInt32BE(offset + 8);
      return frames > 1 ? frames : null;
    }
    offset += 12 + length;
  }
  return null;
}
