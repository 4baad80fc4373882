import sharp from 'sharp';
import { prng } from './image.factory';
import { keptFixture } from './kept-fixture';

/**
 * Images for the learning loop's tests and bench: a made-up symbol that a
 * policy forbids, decoys that look like it without being it, and plain
 * scenes. The symbol is Loupe's own invention, chosen to resemble no real
 * sign: the "lantern", an outlined diamond with a solid dot at its centre
 * and a bar out of each side corner. Several decoys share one of its parts
 * (a diamond, a dot in a ring, a bar through a disc), so that a head has to
 * see the whole glyph, not one feature of it.
 *
 * Backgrounds are procedural but photo-like, since no photos exist on this
 * machine: a sky-to-ground gradient, a soft horizon of hills, blurred
 * blobs of colour, fractal noise and sensor grain, all from the seed.
 */
export type SymbolKind = 'symbol' | 'decoy' | 'plain';

export interface SymbolImageOptions {
  seed: number;
  kind: SymbolKind;
  /** Side of the square image in pixels, 224..640; by default drawn from the seed. */
  size?: number;
}

/** The decoy shapes, in the order a seed picks them. */
export const DECOY_SHAPES = [
  'disc',
  'ring',
  'star',
  'square',
  'arrow',
  'triangle',
  'plus',
  'crescent',
  'hexagon',
  'bullseye',
  'diamond',
  'barred-disc',
  'bolt',
  'heart',
] as const;
export type DecoyShape = (typeof DECOY_SHAPES)[number];

/** What a drawing depends on: this file and its random numbers (see keptFixture). */
const SOURCES = ['test/utils/factories/symbol.factory.ts', 'test/utils/factories/image.factory.ts', 'libs/common/src/seeded-random.ts'];

/**
 * A PNG of `kind`, the same for the same seed. Kept between files and runs:
 * the learning loop's scenario draws the same 240 on both kinds of stores,
 * at 45 ms of CPU each.
 */
export function makeSymbolImage(options: SymbolImageOptions): Promise<Buffer> {
  return keptFixture('symbols', SOURCES, `${options.kind}-${options.seed}-${options.size ?? 'any'}.png`, () => drawSymbolImage(options));
}

async function drawSymbolImage(options: SymbolImageOptions): Promise<Buffer> {
  // A stream per concern: the kind of foreground does not change the background of a seed.
  const random = prng(Math.imul(options.seed, 0x9e3779b1));
  const size = options.size ?? 224 + Math.floor(random() * 417);
  if (!Number.isInteger(size) || size < 224 || size > 640) throw new Error(`size must be an integer in 224..640, got ${size}`);
  const raw = { width: size, height: size, channels: 3 } as const;
  const scenery = scene(prng(options.seed ^ 0x5bd1e995), size);
  const pixels = await sharp(Buffer.from(svg(size, scenery.svg))).removeAlpha().raw().toBuffer();
  addTexture(pixels, size, scenery.texture);
  const glyph = options.kind === 'plain' ? null : glyphSvg(options.kind, size, random);
  const composed = glyph ? await composite(pixels, raw, svg(size, glyph)) : pixels;
  addGrain(composed, size, scenery.grain);
  return sharp(composed, { raw }).png().toBuffer();
}

/** The glyph over the pixels, back as packed RGB (composite hands back RGBA). */
async function composite(pixels: Buffer, raw: { width: number; height: number; channels: 3 }, overlay: string): Promise<Buffer> {
  const { data, info } = await sharp(pixels, { raw }).composite([{ input: Buffer.from(overlay) }]).raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return data;
  const rgb = Buffer.alloc(raw.width * raw.height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += info.channels, j += 3) {
    rgb[j] = data[i];
    rgb[j + 1] = data[i + 1];
    rgb[j + 2] = data[i + 2];
  }
  return rgb;
}

function svg(size: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${body}</svg>`;
}

/** The symbol or a decoy, at a random place, angle, size and colour, with a soft shadow as a sticker or a sign casts. */
function glyphSvg(kind: 'symbol' | 'decoy', size: number, random: () => number): string {
  // Extent: the glyph spans a third to a half of the side; r is half of that.
  const r = ((1 / 3 + random() / 6) * size) / 2;
  const cx = r + random() * (size - 2 * r);
  const cy = r + random() * (size - 2 * r);
  const angle = (random() * 2 - 1) * 25;
  const colour = glyphColour(random);
  const body = kind === 'symbol' ? lantern(r, colour, random) : decoy(DECOY_SHAPES[Math.floor(random() * DECOY_SHAPES.length)], r, colour, random);
  const shadow = body.replace(/(fill|stroke)="#[0-9a-f]{6}"/g, '$1="#000"');
  return (
    `<defs><filter id="shadow" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="${f(r / 25)}"/></filter></defs>` +
    `<g transform="translate(${f(cx + r * 0.04)} ${f(cy + r * 0.05)}) rotate(${f(angle)})" opacity="0.3" filter="url(#shadow)">${shadow}</g>` +
    `<g transform="translate(${f(cx)} ${f(cy)}) rotate(${f(angle)})">${body}</g>`
  );
}

/** The symbol. Its proportions vary a little per seed, as hand-drawn copies would. */
function lantern(r: number, colour: string, random: () => number): string {
  const half = r * (0.5 + random() * 0.1); // the diamond's half-width
  const tall = r * (0.78 + random() * 0.14); // its half-height
  const stroke = r * (0.11 + random() * 0.04);
  const dot = r * (0.17 + random() * 0.05);
  const bar = r * (0.1 + random() * 0.04);
  return (
    `<polygon points="0,${f(-tall)} ${f(half)},0 0,${f(tall)} ${f(-half)},0" fill="none" stroke="${colour}" stroke-width="${f(stroke)}" stroke-linejoin="miter"/>` +
    `<circle r="${f(dot)}" fill="${colour}"/>` +
    `<rect x="${f(half)}" y="${f(-bar / 2)}" width="${f(r - half)}" height="${f(bar)}" fill="${colour}"/>` +
    `<rect x="${f(-r)}" y="${f(-bar / 2)}" width="${f(r - half)}" height="${f(bar)}" fill="${colour}"/>`
  );
}

function decoy(shape: DecoyShape, r: number, colour: string, random: () => number): string {
  const stroke = r * (0.11 + random() * 0.04);
  const outline = `fill="none" stroke="${colour}" stroke-width="${f(stroke)}"`;
  const solid = `fill="${colour}"`;
  const filled = random() < 0.5;
  switch (shape) {
    case 'disc':
      return `<circle r="${f(r * 0.9)}" ${solid}/>`;
    case 'ring':
      return `<circle r="${f(r * 0.85)}" ${outline}/>`;
    case 'star':
      return `<polygon points="${star(5, r, r * 0.42)}" ${filled ? solid : outline}/>`;
    case 'square':
      return `<rect x="${f(-r * 0.7)}" y="${f(-r * 0.7)}" width="${f(r * 1.4)}" height="${f(r * 1.4)}" ${filled ? solid : outline}/>`;
    case 'arrow':
      return `<polygon points="${polygon([[-r, -0.18 * r], [0.2 * r, -0.18 * r], [0.2 * r, -0.5 * r], [r, 0], [0.2 * r, 0.5 * r], [0.2 * r, 0.18 * r], [-r, 0.18 * r]])}" ${solid}/>`;
    case 'triangle':
      return `<polygon points="${star(3, r * 0.95, r * 0.95 * Math.cos(Math.PI / 3))}" ${filled ? solid : outline}/>`;
    case 'plus':
      return `<path d="M${f(-r)} 0H${f(r)}M0 ${f(-r)}V${f(r)}" stroke="${colour}" stroke-width="${f(r * 0.3)}" fill="none"/>`;
    case 'crescent':
      return `<path d="M0 ${f(-r * 0.9)}A${f(r * 0.9)} ${f(r * 0.9)} 0 1 0 0 ${f(r * 0.9)}A${f(r * 0.65)} ${f(r * 0.9)} 0 1 1 0 ${f(-r * 0.9)}Z" ${solid}/>`;
    case 'hexagon':
      return `<polygon points="${polygon(Array.from({ length: 6 }, (_, i) => [r * 0.85 * Math.cos((i * Math.PI) / 3), r * 0.85 * Math.sin((i * Math.PI) / 3)]))}" ${filled ? solid : outline}/>`;
    case 'bullseye':
      return `<circle r="${f(r * 0.8)}" ${outline}/><circle r="${f(r * 0.2)}" ${solid}/>`;
    case 'diamond': {
      const tall = r * (0.78 + random() * 0.14);
      return `<polygon points="0,${f(-tall)} ${f(r * 0.55)},0 0,${f(tall)} ${f(-r * 0.55)},0" ${filled ? solid : outline}/>`;
    }
    case 'barred-disc':
      return `<rect x="${f(-r)}" y="${f(-r * 0.06)}" width="${f(2 * r)}" height="${f(r * 0.12)}" ${solid}/><circle r="${f(r * 0.4)}" ${solid}/>`;
    case 'bolt':
      return `<polygon points="${polygon([[0.15 * r, -r], [-0.5 * r, 0.1 * r], [-0.05 * r, 0.1 * r], [-0.2 * r, r], [0.5 * r, -0.15 * r], [0.05 * r, -0.15 * r]])}" ${solid}/>`;
    case 'heart':
      return `<path d="M0 ${f(r * 0.85)}C${f(-r * 1.3)} ${f(-r * 0.1)} ${f(-r * 0.55)} ${f(-r * 1.05)} 0 ${f(-r * 0.35)}C${f(r * 0.55)} ${f(-r * 1.05)} ${f(r * 1.3)} ${f(-r * 0.1)} 0 ${f(r * 0.85)}Z" ${solid}/>`;
  }
}

/** A saturated or a muted colour, dark or light: the glyph must be visible on some backgrounds and not stand out on others. */
function glyphColour(random: () => number): string {
  const hue = random() * 360;
  const saturation = random() < 0.7 ? 55 + random() * 40 : random() * 25;
  const lightness = random() < 0.5 ? 12 + random() * 25 : 62 + random() * 30;
  return hsl(hue, saturation, lightness);
}

interface Texture {
  /** Lattice values of each octave of value noise, coarse to fine. */
  octaves: { cells: number; lattice: Float32Array; amplitude: number }[];
  colour: [number, number, number];
  contrast: number;
  opacity: number;
}

interface Grain {
  seed: number;
  amount: number;
  vignette: number;
}

/**
 * A procedural landscape or interior: gradients, a horizon, soft blobs and
 * lines as SVG; fractal noise and grain added to the pixels (SVG filters
 * would do the same at twenty times the cost: 400 ms an image).
 */
function scene(random: () => number, size: number): { svg: string; texture: Texture; grain: Grain } {
  const hue = random() * 360;
  const warm = random() < 0.5;
  const sky = [hsl(hue, 30 + random() * 50, 55 + random() * 35), hsl(hue + (warm ? 30 : -30), 20 + random() * 50, 35 + random() * 45)];
  const groundHue = hue + 60 + random() * 240;
  const ground = [hsl(groundHue, 15 + random() * 50, 20 + random() * 40), hsl(groundHue + 20, 10 + random() * 40, 10 + random() * 35)];
  const angle = 70 + random() * 40; // mostly top to bottom, as light falls
  const gradient = (id: string, [a, b]: string[], degrees: number) => {
    const rad = (degrees * Math.PI) / 180;
    return `<linearGradient id="${id}" x1="${f(0.5 - Math.cos(rad) / 2)}" y1="${f(0.5 - Math.sin(rad) / 2)}" x2="${f(0.5 + Math.cos(rad) / 2)}" y2="${f(0.5 + Math.sin(rad) / 2)}"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient>`;
  };
  let defs = gradient('sky', sky, angle) + gradient('ground', ground, angle + (random() - 0.5) * 30);
  let body = `<rect width="${size}" height="${size}" fill="url(#sky)"/>`;
  // A horizon of hills in the lower two thirds; some scenes (a wall, a table top) have none.
  if (random() < 0.75) {
    const horizon = size * (0.35 + random() * 0.45);
    const points: string[] = [`M0 ${size}`, `L0 ${f(horizon)}`];
    const hills = 2 + Math.floor(random() * 4);
    for (let i = 1; i <= hills; i++) {
      const x = (i / hills) * size;
      points.push(`Q${f(x - size / hills / 2)} ${f(horizon - size * (random() * 0.18 - 0.05))} ${f(x)} ${f(horizon + size * (random() - 0.5) * 0.06)}`);
    }
    points.push(`L${size} ${size}Z`);
    body += `<path d="${points.join('')}" fill="url(#ground)"/>`;
  }
  // Soft blobs: out-of-focus objects, light patches, foliage. A radial gradient to transparent is their blur.
  const blobs = 3 + Math.floor(random() * 8);
  for (let i = 0; i < blobs; i++) {
    const rx = size * (0.04 + random() * 0.25);
    const ry = rx * (0.4 + random() * 1.2);
    const colour = hsl(random() < 0.5 ? hue + random() * 60 : groundHue + random() * 60, random() * 70, 15 + random() * 75);
    const core = 0.2 + random() * 0.5; // how much of the radius is in focus
    defs += `<radialGradient id="blob${i}"><stop offset="${f(core)}" stop-color="${colour}" stop-opacity="${f(0.3 + random() * 0.6)}"/><stop offset="1" stop-color="${colour}" stop-opacity="0"/></radialGradient>`;
    body += `<ellipse cx="${f(random() * size)}" cy="${f(random() * size)}" rx="${f(rx)}" ry="${f(ry)}" fill="url(#blob${i})"/>`;
  }
  // A few thin lines: branches, wires, the edge of a shelf.
  const lines = Math.floor(random() * 4);
  for (let i = 0; i < lines; i++) {
    const x = random() * size;
    const y = random() * size;
    const length = size * (0.2 + random() * 0.6);
    const a = random() * Math.PI;
    body += `<line x1="${f(x)}" y1="${f(y)}" x2="${f(x + Math.cos(a) * length)}" y2="${f(y + Math.sin(a) * length)}" stroke="${hsl(groundHue, random() * 40, 10 + random() * 40)}" stroke-width="${f(1 + random() * size * 0.01)}" opacity="0.7"/>`;
  }
  const base = 2 + Math.floor(random() * 6);
  const texture: Texture = {
    octaves: Array.from({ length: 4 }, (_, o) => {
      const cells = base << o;
      return { cells, lattice: Float32Array.from({ length: (cells + 1) * (cells + 1) }, random), amplitude: 0.5 ** o };
    }),
    colour: [random() * 255, random() * 255, random() * 255],
    contrast: 1 + random() * 3,
    opacity: 0.2 + random() * 0.45,
  };
  const grain: Grain = { seed: Math.floor(random() * 2 ** 31), amount: 4 + random() * 14, vignette: random() * 0.35 };
  return { svg: `<defs>${defs}</defs>${body}`, texture, grain };
}

/** Fractal value noise, tinted and blended in where it is strong: mottled walls, grass, cloud. */
function addTexture(pixels: Buffer, size: number, texture: Texture): void {
  // Local names: under Jest's vm context every global lookup (Math) is slow.
  const { floor, min, max } = Math;
  const norm = texture.octaves.reduce((sum, o) => sum + o.amplitude, 0);
  const [tr, tg, tb] = texture.colour;
  const row = new Float32Array(size);
  for (let y = 0; y < size; y++) {
    row.fill(0);
    for (const { cells, lattice, amplitude } of texture.octaves) {
      const gy = (y / size) * cells;
      const iy = floor(gy);
      const sy = gy - iy;
      const wy = sy * sy * (3 - 2 * sy); // smoothstep: no creases along the lattice
      for (let x = 0; x < size; x++) {
        const gx = (x / size) * cells;
        const ix = floor(gx);
        const sx = gx - ix;
        const wx = sx * sx * (3 - 2 * sx);
        const at = iy * (cells + 1) + ix;
        const top = lattice[at] + (lattice[at + 1] - lattice[at]) * wx;
        const bottom = lattice[at + cells + 1] + (lattice[at + cells + 2] - lattice[at + cells + 1]) * wx;
        row[x] += (top + (bottom - top) * wy) * amplitude;
      }
    }
    for (let x = 0; x < size; x++) {
      const alpha = texture.opacity * min(1, max(0, (row[x] / norm - 0.5) * texture.contrast + 0.3));
      const i = (y * size + x) * 3;
      pixels[i] = pixels[i] + (tr - pixels[i]) * alpha;
      pixels[i + 1] = pixels[i + 1] + (tg - pixels[i + 1]) * alpha;
      pixels[i + 2] = pixels[i + 2] + (tb - pixels[i + 2]) * alpha;
    }
  }
}

/** What a camera adds over everything: sensor grain and a darker rim. */
function addGrain(pixels: Buffer, size: number, grain: Grain): void {
  const { min, max, round } = Math;
  const random = prng(grain.seed);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = ((x - centre) ** 2 + (y - centre) ** 2) / (centre * centre * 2);
      const shade = 1 - grain.vignette * max(0, distance - 0.25) * 1.33;
      const noise = (random() + random() - 1) * grain.amount; // triangular: grainier than uniform, cheaper than Gaussian
      const i = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) pixels[i + c] = max(0, min(255, round(pixels[i + c] * shade + noise)));
    }
  }
}

function star(points: number, outer: number, inner: number): string {
  return polygon(
    Array.from({ length: points * 2 }, (_, i) => {
      const radius = i % 2 === 0 ? outer : inner;
      const angle = -Math.PI / 2 + (i * Math.PI) / points;
      return [radius * Math.cos(angle), radius * Math.sin(angle)];
    }),
  );
}

function polygon(points: number[][]): string {
  return points.map(([x, y]) => `${f(x)},${f(y)}`).join(' ');
}

function hsl(hue: number, saturation: number, lightness: number): string {
  // Hex rather than hsl(): the shadow copy swaps hex colours for black.
  const s = Math.min(100, saturation) / 100;
  const l = Math.min(100, lightness) / 100;
  const h = (((hue % 360) + 360) % 360) / 30;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return `#${[channel(0), channel(8), channel(4)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Numbers in the SVG with two decimals: short text, and the same text on every machine. */
function f(value: number): string {
  return value.toFixed(2);
}
