import { seededRandom } from './seeded-random';

/**
 * Raw RGB that looks, to PDQ, like a photo: smooth low-frequency shading and
 * a few large soft-edged shapes. Its hash has full quality, survives
 * re-encoding and resizing as a photo's does, and different seeds give
 * distant hashes. The tests' images and the sample history's come from
 * here, so the same seed gives the same pixels, scores and hashes in both.
 * No real imagery is involved.
 */
export function syntheticPhotoRgb(seed: number, width: number, height: number): Buffer {
  // Local names for Math's functions: under Jest the code runs in a vm
  // context, where every lookup of a global such as `Math` goes through an
  // interceptor, and that made this loop 15 times slower than in plain Node.
  const { sin, cos, sqrt, min, max, round, floor, PI } = Math;
  const random = seededRandom(seed);
  // A 1/f spectrum, as natural images have: every frequency PDQ looks at
  // carries energy, so a small local change (a watermark) moves few bits.
  const waves = Array.from({ length: 48 }, () => {
    const cycles = 0.5 + 15.5 * random() ** 2;
    const angle = random() * PI * 2;
    return { fx: (cycles * cos(angle)) / width, fy: (cycles * sin(angle)) / height, phase: random() * PI * 2, channel: floor(random() * 3), amplitude: 90 / (1 + cycles) };
  });
  const discs = Array.from({ length: 8 }, () => ({
    x: random() * width,
    y: random() * height,
    r: (0.05 + random() * 0.2) * min(width, height),
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  // sin(2π(fx·x + fy·y) + φ) = sin(2π·fx·x)·cos(2π·fy·y + φ) + cos(2π·fx·x)·sin(2π·fy·y + φ): the sines
  // of each column and each row are taken once, not once per pixel (the tests make hundreds of these
  // images, and the per-pixel sines were most of a test file's own CPU). The waves are laid out by
  // channel, each channel's in their drawn order, so each channel's sum adds the same terms in the
  // same order as a sum over all waves did: the pixels are the same bytes.
  const count = waves.length;
  const order = [0, 1, 2].flatMap((c) => waves.flatMap((w, i) => (w.channel === c ? [i] : [])));
  const endRed = waves.filter((w) => w.channel === 0).length;
  const endGreen = endRed + waves.filter((w) => w.channel === 1).length;
  const columnSin = new Float64Array(count * width);
  const columnCos = new Float64Array(count * width);
  for (let x = 0; x < width; x++) {
    for (let k = 0; k < count; k++) {
      const angle = 2 * PI * waves[order[k]].fx * x;
      columnSin[x * count + k] = sin(angle);
      columnCos[x * count + k] = cos(angle);
    }
  }
  const amplitude = Float64Array.from(order, (i) => waves[i].amplitude);
  const rowSin = new Float64Array(count);
  const rowCos = new Float64Array(count);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < count; k++) {
      const angle = 2 * PI * waves[order[k]].fy * y + waves[order[k]].phase;
      rowSin[k] = sin(angle);
      rowCos[k] = cos(angle);
    }
    for (let x = 0; x < width; x++) {
      const at = x * count;
      let r = 128;
      let g = 128;
      let b = 128;
      for (let k = 0; k < endRed; k++) r += amplitude[k] * (columnSin[at + k] * rowCos[k] + columnCos[at + k] * rowSin[k]);
      for (let k = endRed; k < endGreen; k++) g += amplitude[k] * (columnSin[at + k] * rowCos[k] + columnCos[at + k] * rowSin[k]);
      for (let k = endGreen; k < count; k++) b += amplitude[k] * (columnSin[at + k] * rowCos[k] + columnCos[at + k] * rowSin[k]);
      for (const d of discs) {
        const dx = x - d.x;
        const dy = y - d.y;
        // Outside the disc the edge is 0 and the pixel keeps its value exactly.
        if (dx * dx + dy * dy >= d.r * d.r) continue;
        // A soft edge, as real objects have: full weight inside, fading over a tenth of the radius.
        const edge = min(1, max(0, (d.r - sqrt(dx * dx + dy * dy)) / (d.r * 0.1)));
        r = r * (1 - edge / 2) + (d.colour[0] * edge) / 2;
        g = g * (1 - edge / 2) + (d.colour[1] * edge) / 2;
        b = b * (1 - edge / 2) + (d.colour[2] * edge) / 2;
      }
      const i = (y * width + x) * 3;
      data[i] = max(0, min(255, round(r)));
      data[i + 1] = max(0, min(255, round(g)));
      data[i + 2] = max(0, min(255, round(b)));
    }
  }
  return data;
}
