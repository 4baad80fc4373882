/**
 * Procedural SVG scenes for the simulated platform. Each is a function of a
 * seed and a kind, so the same world renders the same pixels. No real
 * imagery is involved: "nudity" is two soft skin-toned ellipses on a dark
 * gradient (as test/fixtures/borderline-adult-nudity.png, which the
 * baseline model scores about 0.78), "violence" is dark red splashes, and the
 * trend's motif is a made-up glyph (a ringed star) that no model was trained
 * on. A turbulence texture, seeded per item, gives every picture a PDQ hash
 * of good quality, distant from every other item's.
 */
import { seededRandom } from '@loupe/common';

export const SCENE_SIZE = 256;

export type SceneKind =
  /** Landscapes, rooms, food: the ordinary bulk of a platform. */
  | 'ordinary'
  /** Skin-toned ellipses: the baseline model's adult-nudity signal, strong or weak by the parameters. */
  | 'nudity'
  /** Skin tones on a bright, busy scene: art, beach, sculpture; benign, but the model may flag it. */
  | 'lookalike'
  /** Dark red splashes: graphic violence, which no model scores. */
  | 'violence'
  /** The emerging trend's motif: a glyph no model knows. */
  | 'motif';

const hex = (n: number) => Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');
const rgb = (r: number, g: number, b: number) => `#${hex(r)}${hex(g)}${hex(b)}`;

/** An SVG document for one picture. */
export function sceneSvg(kind: SceneKind, seed: number): string {
  const random = seededRandom(seed * 7919 + 17);
  const S = SCENE_SIZE;
  const between = (a: number, b: number) => a + (b - a) * random();
  const parts: string[] = [];
  const defs: string[] = [
    `<filter id="grain" x="0" y="0" width="100%" height="100%"><feTurbulence type="fractalNoise" baseFrequency="${between(0.006, 0.02).toFixed(4)}" numOctaves="2" seed="${seed % 100000}"/><feColorMatrix type="saturate" values="0"/></filter>`,
  ];
  if (kind === 'nudity' || kind === 'lookalike') {
    const warm = kind === 'nudity';
    defs.push(
      `<radialGradient id="skin" cx="${between(0.35, 0.55).toFixed(2)}" cy="${between(0.3, 0.5).toFixed(2)}"><stop offset="0" stop-color="${rgb(between(230, 250), between(185, 215), between(160, 185))}"/><stop offset="0.7" stop-color="${rgb(between(200, 220), between(140, 165), between(110, 135))}"/><stop offset="1" stop-color="${rgb(between(120, 150), between(80, 100), between(60, 75))}"/></radialGradient>`,
      warm
        ? `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${rgb(between(40, 70), between(30, 50), between(25, 45))}"/><stop offset="1" stop-color="${rgb(between(150, 190), between(100, 140), between(90, 120))}"/></linearGradient>`
        : `<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${rgb(between(120, 200), between(170, 220), between(210, 250))}"/><stop offset="1" stop-color="${rgb(between(200, 240), between(190, 220), between(140, 180))}"/></linearGradient>`,
    );
    parts.push(`<rect width="${S}" height="${S}" fill="url(#bg)"/>`);
    if (warm) {
      // Two large figures, placed as in the borderline fixture, with jitter: the model's score spreads around 0.8.
      const j = (v: number, spread: number) => v * (1 + between(-spread, spread));
      const k = S / 224;
      parts.push(`<ellipse cx="${(j(80, 0.12) * k).toFixed(1)}" cy="${(j(120, 0.1) * k).toFixed(1)}" rx="${(j(70, 0.15) * k).toFixed(1)}" ry="${(j(85, 0.15) * k).toFixed(1)}" fill="url(#skin)"/>`);
      parts.push(`<ellipse cx="${(j(160, 0.1) * k).toFixed(1)}" cy="${(j(100, 0.12) * k).toFixed(1)}" rx="${(j(60, 0.15) * k).toFixed(1)}" ry="${(j(70, 0.15) * k).toFixed(1)}" fill="url(#skin)"/>`);
    } else {
      for (let i = 0, blobs = 1 + Math.floor(random() * 2); i < blobs; i++) {
        const size = between(0.1, 0.2);
        parts.push(`<ellipse cx="${(between(0.25, 0.75) * S).toFixed(1)}" cy="${(between(0.3, 0.65) * S).toFixed(1)}" rx="${(size * S).toFixed(1)}" ry="${(size * between(1.05, 1.35) * S).toFixed(1)}" fill="url(#skin)"/>`);
      }
    }
    if (!warm) {
      // A beach or a gallery: stripes, a horizon and bright objects around the figure.
      for (let i = 0; i < 5; i++) parts.push(`<rect x="${(random() * S).toFixed(1)}" y="${(random() * S).toFixed(1)}" width="${between(10, 60).toFixed(1)}" height="${between(10, 60).toFixed(1)}" fill="${rgb(random() * 255, random() * 255, random() * 255)}"/>`);
    }
    parts.push(`<rect x="0" y="${(between(0.75, 0.85) * S).toFixed(1)}" width="${S}" height="${S}" fill="${rgb(between(80, 120), between(50, 70), between(40, 60))}" opacity="0.6"/>`);
  } else if (kind === 'violence') {
    parts.push(`<rect width="${S}" height="${S}" fill="${rgb(between(20, 50), between(15, 30), between(15, 30))}"/>`);
    for (let i = 0; i < 12; i++) {
      const points = Array.from({ length: 9 }, (_, k) => {
        const angle = (k / 9) * Math.PI * 2;
        const r = between(8, 40);
        return `${(Math.cos(angle) * r).toFixed(1)},${(Math.sin(angle) * r).toFixed(1)}`;
      }).join(' ');
      parts.push(`<polygon transform="translate(${(random() * S).toFixed(1)} ${(random() * S).toFixed(1)})" points="${points}" fill="${rgb(between(110, 190), between(0, 20), between(0, 20))}" opacity="${between(0.6, 0.95).toFixed(2)}"/>`);
    }
  } else {
    // Ordinary: a sky, a sun or a lamp, hills or a table, and a few objects.
    const top = [between(60, 200), between(100, 210), between(150, 250)];
    const bottom = [between(40, 160), between(80, 180), between(30, 120)];
    defs.push(`<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${rgb(top[0], top[1], top[2])}"/><stop offset="1" stop-color="${rgb(bottom[0], bottom[1], bottom[2])}"/></linearGradient>`);
    parts.push(`<rect width="${S}" height="${S}" fill="url(#bg)"/>`);
    parts.push(`<circle cx="${(random() * S).toFixed(1)}" cy="${(between(0.1, 0.4) * S).toFixed(1)}" r="${between(10, 35).toFixed(1)}" fill="${rgb(between(230, 255), between(190, 240), between(60, 160))}"/>`);
    for (let i = 0; i < 3; i++) {
      const y = between(0.45, 0.85) * S;
      parts.push(`<path d="M0 ${y.toFixed(1)} Q ${(random() * S).toFixed(1)} ${(y - between(20, 90)).toFixed(1)} ${S} ${(y + between(-30, 30)).toFixed(1)} L ${S} ${S} L 0 ${S} Z" fill="${rgb(between(20, 120), between(60, 160), between(20, 100))}" opacity="0.85"/>`);
    }
    for (let i = 0; i < 6; i++) {
      const x = random() * S;
      const y = between(0.4, 0.95) * S;
      const w = between(6, 30);
      parts.push(`<rect x="${x.toFixed(1)}" y="${(y - w * 2).toFixed(1)}" width="${w.toFixed(1)}" height="${(w * 2).toFixed(1)}" fill="${rgb(random() * 200, random() * 200, random() * 200)}"/>`);
    }
  }
  if (kind === 'motif') {
    // The ringed star: a five-pointed star inside two rings, in a glowing colour.
    const cx = between(0.3, 0.7) * S;
    const cy = between(0.3, 0.7) * S;
    const r = between(0.18, 0.28) * S;
    const colour = rgb(between(0, 60), between(200, 255), between(180, 255));
    const star = Array.from({ length: 10 }, (_, k) => {
      const angle = -Math.PI / 2 + (k * Math.PI) / 5;
      const radius = k % 2 === 0 ? r * 0.8 : r * 0.33;
      return `${(cx + Math.cos(angle) * radius).toFixed(1)},${(cy + Math.sin(angle) * radius).toFixed(1)}`;
    }).join(' ');
    parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${r.toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${(r * 0.08).toFixed(1)}"/>`);
    parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${(r * 0.9).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${(r * 0.04).toFixed(1)}"/>`);
    parts.push(`<polygon points="${star}" fill="${colour}"/>`);
  }
  parts.push(`<rect width="${S}" height="${S}" filter="url(#grain)" opacity="${kind === "nudity" ? 0.05 : 0.25}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}"><defs>${defs.join('')}</defs>${parts.join('')}</svg>`;
}
