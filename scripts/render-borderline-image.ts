/**
 * Renders test/fixtures/borderline-adult-nudity.png: two soft beige ellipses
 * on a dark gradient. The baseline model (nsfwjs MobileNetV2) gives these
 * abstract shapes an adult-nudity score (Porn + Hentai + Sexy) of about 0.78,
 * between the catalog's review (0.6) and remove (0.95) thresholds, so the
 * pipeline sends the image to human review. No real imagery is involved. The
 * shapes have enough structure for a PDQ hash of good quality (87), so a
 * re-upload matches the bank once a moderator removes it.
 *
 * Run it only to remake the fixture: npx tsx scripts/render-borderline-image.ts
 */
import path from 'node:path';
import sharp from 'sharp';

const SIZE = 224;
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">
  <defs>
    <radialGradient id="skin" cx="0.45" cy="0.4"><stop offset="0" stop-color="#f2c9ac"/><stop offset="0.7" stop-color="#d49a7c"/><stop offset="1" stop-color="#8c5a44"/></radialGradient>
    <linearGradient id="background" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3b2b26"/><stop offset="1" stop-color="#b08070"/></linearGradient>
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#background)"/>
  <ellipse cx="80" cy="120" rx="70" ry="85" fill="url(#skin)"/>
  <ellipse cx="160" cy="100" rx="60" ry="70" fill="url(#skin)"/>
  <rect x="0" y="180" width="${SIZE}" height="44" fill="#6b3f35" opacity="0.6"/>
</svg>`;

async function main(): Promise<void> {
  const target = path.resolve(__dirname, '../test/fixtures/borderline-adult-nudity.png');
  await sharp(Buffer.from(SVG)).removeAlpha().png().toFile(target);
  console.log(`wrote ${target}`);
}

void main();
