import { readFileSync } from 'node:fs';
import path from 'node:path';
import { haveSharedData } from '@loupe/common/testing';
import { VideoCodec } from '@loupe/media';
import { pdqHammingDistance } from '../pdq/pdq-hash';
import type { VpdqFeature } from './vpdq-feature';
import { VpdqHasher } from './vpdq-hasher';
import { formatVpdqText, parseVpdqText } from './vpdq-text-format';

/*
 * vPDQ end to end (VideoCodec decode -> VpdqHasher) against Meta's reference
 * hashes in ../shared/vectors/vpdq (README section 6):
 *
 * - <video>.txt and <video>-128x128.txt, from ThreatExchange's sample-hashes,
 *   made with another FFmpeg build: compared with the reference's own
 *   regression rule (same line count and frame numbers; lines where both
 *   qualities are >= 50 must be at distance < 31).
 * - rebuilt-ffmpeg-5.1.9/: the reference rebuilt against the FFmpeg this
 *   machine runs. Same decoder, same swscale, so the files must be identical.
 */

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const VECTORS = path.resolve(REPO_ROOT, '../shared/vectors/vpdq');
const VIDEOS_TSV = path.join(VECTORS, 'videos.tsv');
const HAVE_VECTORS = haveSharedData(VIDEOS_TSV, 'vPDQ conformance');
const describeVectors = HAVE_VECTORS ? describe : describe.skip;

// The reference's tolerance (regtest.py -> match-hashes-byline, test_vpdq_hash.py): strict.
const REFERENCE_LINE_DISTANCE = 31;
const QUALITY_FLOOR = 50;

interface VideoRow {
  video: string;
  frames: number;
  hashFile: string;
  hashFile128: string;
}

function readVideos(): VideoRow[] {
  const [header, ...lines] = readFileSync(VIDEOS_TSV, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  return lines.map((line) => {
    const row = Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell]));
    return { video: row.video, frames: Number(row.frames), hashFile: row.hash_file, hashFile128: row.hash_file_128x128 };
  });
}

const videos = HAVE_VECTORS ? readVideos() : [];
const codec = new VideoCodec();
const hasher = new VpdqHasher();

function hashVideo(video: string, scale?: { width: number; height: number }): Promise<VpdqFeature[]> {
  return hasher.hashFrames(codec.frames(path.join(VECTORS, video), { fps: 0, scale }));
}

/** The reference's line-by-line regression comparison; returns a summary, listing the failures. */
function compareByLine(ours: VpdqFeature[], reference: VpdqFeature[]) {
  const failures: string[] = [];
  let compared = 0;
  let identical = 0;
  let maxDistance = 0;
  reference.forEach((ref, i) => {
    const mine = ours[i];
    if (!mine) return;
    if (mine.frameNumber !== ref.frameNumber) failures.push(`line ${i}: frame ${mine.frameNumber} vs ${ref.frameNumber}`);
    if (mine.pdq === ref.pdq) identical++;
    if (mine.quality < QUALITY_FLOOR || ref.quality < QUALITY_FLOOR) return;
    compared++;
    const distance = pdqHammingDistance(mine.pdq, ref.pdq);
    maxDistance = Math.max(maxDistance, distance);
    if (!(distance < REFERENCE_LINE_DISTANCE)) failures.push(`frame ${ref.frameNumber}: distance ${distance}`);
  });
  return { compared, identical, maxDistance, failures };
}

type Features = { native?: VpdqFeature[]; small?: VpdqFeature[] };

function describeMode(row: VideoRow, features: Features, label: string, key: keyof Features, hashFile: string): void {
  describe(label, () => {
    it('has every frame, numbered and timed as the reference', () => {
      const ours = features[key]!;
      const reference = parseVpdqText(readFileSync(path.join(VECTORS, hashFile), 'utf8'));
      expect(ours).toHaveLength(row.frames);
      expect(reference).toHaveLength(row.frames);
      expect(ours.map((f) => f.frameNumber)).toEqual(reference.map((f) => f.frameNumber));
      // Timestamps as printed (%.3f), the only precision the files carry.
      const printed = (list: VpdqFeature[]) => formatVpdqText(list).split('\n').map((l) => l.split(',')[3]);
      expect(printed(ours)).toEqual(printed(reference));
    });

    it('is within the reference tolerance on every line where both qualities are >= 50', () => {
      const reference = parseVpdqText(readFileSync(path.join(VECTORS, hashFile), 'utf8'));
      const result = compareByLine(features[key]!, reference);
      expect(result.failures).toEqual([]);
      expect(result.compared).toBeGreaterThanOrEqual(60); // doorknob: half its frames are below quality 50
      console.log(
        `${hashFile}: ${result.compared} lines compared, ${result.identical}/${reference.length} identical hashes, largest distance ${result.maxDistance}`,
      );
    });

    it('equals the reference rebuilt against FFmpeg 5.1.9, byte for byte', () => {
      const rebuilt = readFileSync(path.join(VECTORS, 'rebuilt-ffmpeg-5.1.9', hashFile), 'utf8');
      expect(formatVpdqText(features[key]!)).toBe(rebuilt);
    });
  });
}

function describeVideo(row: VideoRow): void {
  describe(row.video, () => {
    const features: Features = {};

    beforeAll(async () => {
      features.native = await hashVideo(row.video);
      features.small = await hashVideo(row.video, { width: 128, height: 128 });
    }, 120_000);

    describeMode(row, features, 'native size', 'native', row.hashFile);
    describeMode(row, features, '128x128', 'small', row.hashFile128);

    it('samples at 1 frame per second exactly the frames and hashes of the every-frame run', async () => {
      const sampled = await hasher.hashFrames(codec.frames(path.join(VECTORS, row.video), { fps: 1 }));
      // 30/1 fps: frameMod 30.
      expect(sampled.map((f) => f.frameNumber)).toEqual(features.native!.filter((f) => f.frameNumber % 30 === 0).map((f) => f.frameNumber));
      for (const f of sampled) expect(f).toEqual(features.native![f.frameNumber]);
    }, 60_000);
  });
}

describeVectors('vPDQ conformance with the reference (../shared/vectors/vpdq)', () => {
  it('lists the three sample videos', () => {
    expect(videos.map((v) => v.video).sort()).toEqual(['chair-19-sd-bar.mp4', 'doorknob-hd-no-bar.mp4', 'pattern-sd-grey-bar.mp4']);
  });

  // A loop, not describe.each: an empty table (no vectors) is an error even inside describe.skip.
  for (const row of videos) describeVideo(row);
});
