import { createHash } from 'node:crypto';
import { syntheticPhotoRgb } from './synthetic-photo';

const digest = (pixels: Buffer) => createHash('sha256').update(pixels).digest('hex');

describe('syntheticPhotoRgb', () => {
  // The tests' images and the sample history's come from here: a seed must give the same pixels in
  // every version (these are the digests of the per-pixel version that took every sine afresh).
  it.each([
    [1, 320, 240, 'a5f53adc94a4cb07b87fd0b1f109751f186ff770af45108c85f4963ebdebf950'],
    [8801, 97, 131, 'be568a87c43febdc3093adc2bfaf2ed5992b6fefd17dcdd354837c44e38b7af1'],
    [20000, 640, 480, 'ff8c782d91bc9ffbfac668f761c4d24b26bb3aebef5885a5b16a78a465045883'],
  ])('gives seed %i at %ix%i the same pixels as ever', (seed, width, height, expected) => {
    const pixels = syntheticPhotoRgb(seed, width, height);
    expect(pixels).toHaveLength(width * height * 3);
    expect(digest(pixels)).toBe(expected);
  });

  it('gives different seeds different pictures', () => {
    expect(digest(syntheticPhotoRgb(1, 64, 48))).not.toBe(digest(syntheticPhotoRgb(2, 64, 48)));
  });
});
