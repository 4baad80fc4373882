import { VpdqFormatError, formatVpdqLine, formatVpdqText, formatVpdqTimestamp, parseVpdqLine, parseVpdqText } from './vpdq-text-format';

// The first lines of ThreatExchange vpdq/sample-hashes/chair-19-sd-bar.txt.
const SAMPLE = [
  '0,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,0.000',
  '1,100,c0f11178372c6aaccddea259648fbfd62f434c89c9e99b249772be216c8d055c,0.033',
  '2,100,c0f10b78372c6aacc5dea25b748fb7d22f434c89c9a9db249772b6216c8d855c,0.067',
].join('\n');

describe('parseVpdqText / formatVpdqText', () => {
  it('reads the reference format and writes it back unchanged', () => {
    const features = parseVpdqText(`${SAMPLE}\n`);
    expect(features[1]).toEqual({
      frameNumber: 1,
      quality: 100,
      pdq: 'c0f11178372c6aaccddea259648fbfd62f434c89c9e99b249772be216c8d055c',
      timestamp: 0.033,
    });
    expect(formatVpdqText(features)).toBe(`${SAMPLE}\n`);
  });

  it('accepts CRLF, blank lines and upper-case hex (normalised)', () => {
    const features = parseVpdqText(`\r\n${SAMPLE.toUpperCase().replace(/\n/g, '\r\n')}\r\n\r\n`);
    expect(features).toHaveLength(3);
    expect(features[0].pdq).toBe('e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c');
  });

  it.each([
    ['0,100,e271,0.000', /invalid PDQ hash/],
    ['0,101,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,0.000', /invalid quality/],
    ['-1,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,0.000', /invalid frame number/],
    ['0,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,abc', /invalid timestamp/],
    ['0,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c', /expected 4 comma-separated fields, got 3/],
  ])('refuses %s', (line, message) => {
    expect(() => parseVpdqLine(line, 7)).toThrow(VpdqFormatError);
    expect(() => parseVpdqLine(line, 7)).toThrow(message);
    expect(() => parseVpdqText(`${SAMPLE}\n${line}`)).toThrow(/line 4/);
  });

  it('refuses to write a malformed hash', () => {
    expect(() => formatVpdqLine({ frameNumber: 0, quality: 1, pdq: 'xyz', timestamp: 0 })).toThrow(/Invalid PDQ hash/);
  });
});

describe('formatVpdqTimestamp (printf %.3f)', () => {
  it.each([
    [0, '0.000'],
    [1 / 30, '0.033'],
    [2 / 30, '0.067'],
    [563 / 30, '18.767'],
    [1.0005, '1.000'], // the double is just below 1.0005
    [0.0625, '0.062'], // exact tie: to even
    [0.1875, '0.188'], // exact tie: to even
    [3 / 16 + 2, '2.188'],
    [0.3125, '0.312'],
    [12345.6789, '12345.679'],
  ])('%p -> %s', (seconds, text) => {
    expect(formatVpdqTimestamp(seconds)).toBe(text);
  });

  it('refuses non-finite values', () => {
    expect(() => formatVpdqTimestamp(Number.NaN)).toThrow(RangeError);
  });
});
