import { isPdqHex } from '../pdq/pdq-hash';
import { PDQ_MAX_QUALITY } from '../pdq/pdq.constants';
import type { VpdqFeature } from './vpdq-feature';

/*
 * The reference's hash file (vpdq-hash-video output, vpdq/cpp/io/vpdqio.cpp):
 * one line per frame, `frame_number,quality,pdq_hex,timestamp`, the
 * timestamp printed with `std::fixed << setprecision(3)`, i.e. printf's
 * `%.3f`: the exact binary value rounded to 3 decimals, exact ties to even.
 */

export class VpdqFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`vPDQ line ${line}: ${message}`);
    this.name = 'VpdqFormatError';
  }
}

const UNSIGNED_INT = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Parses one `frame_number,quality,pdq_hex,timestamp` line (`lineNumber` only labels errors). */
export function parseVpdqLine(text: string, lineNumber = 1): VpdqFeature {
  const fields = text.trim().split(',');
  if (fields.length !== 4) throw new VpdqFormatError(`expected 4 comma-separated fields, got ${fields.length}`, lineNumber);
  const [frame, quality, hex, timestamp] = fields.map((f) => f.trim());
  if (!UNSIGNED_INT.test(frame) || !Number.isSafeInteger(Number(frame))) throw new VpdqFormatError(`invalid frame number "${frame}"`, lineNumber);
  if (!UNSIGNED_INT.test(quality) || Number(quality) > PDQ_MAX_QUALITY) throw new VpdqFormatError(`invalid quality "${quality}"`, lineNumber);
  if (!isPdqHex(hex)) throw new VpdqFormatError(`invalid PDQ hash "${hex.slice(0, 80)}"`, lineNumber);
  if (!DECIMAL.test(timestamp) || !Number.isFinite(Number(timestamp))) throw new VpdqFormatError(`invalid timestamp "${timestamp}"`, lineNumber);
  return { frameNumber: Number(frame), quality: Number(quality), pdq: hex.toLowerCase(), timestamp: Number(timestamp) };
}

/** Parses a whole hash file; blank lines are skipped, CRLF is accepted. */
export function parseVpdqText(text: string): VpdqFeature[] {
  const features: VpdqFeature[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') features.push(parseVpdqLine(line, i + 1));
  });
  return features;
}

export function formatVpdqLine(feature: VpdqFeature): string {
  if (!isPdqHex(feature.pdq)) throw new Error(`Invalid PDQ hash "${String(feature.pdq).slice(0, 80)}"`);
  return `${feature.frameNumber},${feature.quality},${feature.pdq.toLowerCase()},${formatVpdqTimestamp(feature.timestamp)}`;
}

/** The reference's file body: one line per feature, each ending in a newline. */
export function formatVpdqText(features: Iterable<VpdqFeature>): string {
  let text = '';
  for (const feature of features) text += `${formatVpdqLine(feature)}\n`;
  return text;
}

/**
 * `%.3f` as glibc prints it. Number#toFixed is exact too but sends exact
 * ties up (0.0625 -> "0.063") where printf picks the even neighbour ("0.062");
 * ties happen for timestamps such as 1/16 s at 16 fps.
 */
export function formatVpdqTimestamp(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`Timestamp must be finite, got ${seconds}`);
  const magnitude = Math.abs(seconds);
  const sign = seconds < 0 || Object.is(seconds, -0) ? '-' : '';
  const twiceThousandths = exactTimes2000(magnitude);
  if (twiceThousandths === null || twiceThousandths % 2n === 0n) return sign + magnitude.toFixed(3);
  // Exactly halfway between two thousandths: take the even one.
  let thousandths = (twiceThousandths - 1n) / 2n;
  if (thousandths % 2n !== 0n) thousandths += 1n;
  return `${sign}${thousandths / 1000n}.${(thousandths % 1000n).toString().padStart(3, '0')}`;
}

/** x * 2000 when that is exactly an integer, else null (computed on the exact binary value). */
function exactTimes2000(x: number): bigint | null {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (exponentBits === 0 && fraction === 0n) return 0n;
  // x = mantissa * 2^exponent, exactly.
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  const scaled = mantissa * 2000n;
  if (exponent >= 0) return scaled << BigInt(exponent);
  const shift = BigInt(-exponent);
  return scaled % (1n << shift) === 0n ? scaled >> shift : null;
}
