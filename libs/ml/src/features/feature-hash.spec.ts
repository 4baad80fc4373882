import { murmur3 } from './feature-hash';

describe('murmur3 (MurmurHash3 x86, 32-bit)', () => {
  // The published test vectors of the reference implementation.
  it.each<[string, number, number]>([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['ab', 0x9747b28c, 0x74875592],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['test', 0, 0xba6bd213],
  ])('%j with seed %d', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('hashes the UTF-8 bytes, so composed and decomposed forms differ until normalised', () => {
    expect(murmur3('é')).not.toBe(murmur3('e\u0301'));
    expect(murmur3('é')).toBe(murmur3('e\u0301'.normalize('NFC')));
  });
});
