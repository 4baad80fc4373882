import { open, type FileHandle } from 'node:fs/promises';
import { MediaError } from '../media.error';

/** The two container families the decoder whitelist admits. */
export type VideoContainerFamily = 'iso-bmff' | 'matroska';

/*
 * Cheap structural checks, run before ffprobe sees a file (the same idea as
 * format/container-check.ts for images): identify the container by its magic
 * bytes, and walk its top-level structure to catch a cut upload. ffprobe
 * reports a faststart MP4 whose media data is cut short as perfectly healthy,
 * and an MP4 whose index (moov) was never written as "moov atom not found",
 * which is also what it says about a text file named .mp4.
 */

// Box types seen first in ISO BMFF / QuickTime files (QuickTime may start with mdat, wide or free).
const BMFF_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'styp']);
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const MKV_SEGMENT_ID = 0x18538067;
// A fragmented MP4 has two boxes per fragment; past this many the walk stops judging.
const MAX_TOP_LEVEL_BOXES = 200_000;

export function sniffVideoContainer(head: Uint8Array): VideoContainerFamily | null {
  if (head.length >= 4 && EBML_MAGIC.every((b, i) => head[i] === b)) return 'matroska';
  if (head.length >= 8) {
    const type = String.fromCharCode(head[4], head[5], head[6], head[7]);
    if (BMFF_FIRST_BOXES.has(type)) return 'iso-bmff';
  }
  return null;
}

/**
 * Identifies the container and checks that its top-level structure fits in
 * the file. Throws MediaError: `media.unsupported_type` (neither MP4/MOV nor
 * Matroska/WebM), `media.truncated`, `media.corrupt`.
 */
export async function checkVideoContainer(absolutePath: string): Promise<VideoContainerFamily> {
  const file = await open(absolutePath, 'r');
  try {
    const { size } = await file.stat();
    const head = await readAt(file, 0, 16);
    const family = sniffVideoContainer(head);
    if (!family) {
      throw new MediaError('media.unsupported_type', 'Not a supported video: only MP4/MOV and Matroska/WebM are accepted');
    }
    if (family === 'iso-bmff') await walkBmff(file, size);
    else await checkMatroska(file, size);
    return family;
  } finally {
    await file.close();
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function isFourCc(header: Buffer): boolean {
  for (let i = 4; i < 8; i++) if (header[i] < 0x20 || header[i] > 0x7e) return false;
  return true;
}

async function walkBmff(file: FileHandle, fileSize: number): Promise<void> {
  let offset = 0;
  let sawMoov = false;
  for (let boxes = 0; offset < fileSize && boxes < MAX_TOP_LEVEL_BOXES; boxes++) {
    const header = await readAt(file, offset, 16);
    if (header.length < 8) {
      if (sawMoov) return; // a few stray bytes after a complete file; ffmpeg ignores them too
      throw new MediaError('media.truncated', 'MP4 is cut short inside a box header', { offset });
    }
    if (!isFourCc(header)) {
      // Trailing junk after the real boxes is common and harmless; junk before the index is not.
      if (sawMoov) return;
      throw new MediaError('media.corrupt', 'MP4 box structure is broken before its index (moov)', { offset });
    }
    const type = header.toString('latin1', 4, 8);
    const size32 = header.readUInt32BE(0);
    let boxSize: number;
    let headerSize = 8;
    if (size32 === 1) {
      if (header.length < 16) throw new MediaError('media.truncated', `MP4 is cut short inside the ${type} box header`, { offset });
      boxSize = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size32 === 0) {
      boxSize = fileSize - offset; // "extends to the end of the file"
    } else {
      boxSize = size32;
    }
    if (boxSize < headerSize) throw new MediaError('media.corrupt', `MP4 box ${type} has an invalid size`, { offset, size: boxSize });
    if (offset + boxSize > fileSize) {
      throw new MediaError('media.truncated', `MP4 is cut short: the ${type} box needs ${boxSize} bytes, the file has ${fileSize - offset} left`, {
        box: type,
        offset,
        declared: boxSize,
        available: fileSize - offset,
      });
    }
    if (type === 'moov') sawMoov = true;
    offset += boxSize;
  }
  if (!sawMoov && offset >= fileSize) {
    // The index is written last by non-faststart muxers: its absence means the upload or recording stopped early.
    throw new MediaError('media.truncated', 'MP4 has no index (moov box): the file is incomplete');
  }
}

/** EBML variable-length integer at `pos`: its length and value; `unknown` for the all-ones "size unknown" marker. */
function readVint(data: Buffer, pos: number, keepMarker: boolean): { length: number; value: bigint; unknown: boolean } | null {
  if (pos >= data.length) return null;
  const first = data[pos];
  if (first === 0) return null;
  const length = Math.clz32(first) - 23; // 1..8: leading zero bits within the byte, plus one
  if (pos + length > data.length) return null;
  let value = BigInt(keepMarker ? first : first & (0xff >> length));
  let allOnes = (first & (0xff >> length)) === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = (value << 8n) | BigInt(data[pos + i]);
    if (data[pos + i] !== 0xff) allOnes = false;
  }
  return { length, value, unknown: !keepMarker && allOnes };
}

async function checkMatroska(file: FileHandle, fileSize: number): Promise<void> {
  const head = await readAt(file, 0, 64);
  const headerId = readVint(head, 0, true);
  const headerSize = headerId && readVint(head, headerId.length, false);
  if (!headerId || !headerSize || headerSize.unknown) throw new MediaError('media.corrupt', 'Matroska EBML header is invalid');
  const segmentPos = headerId.length + headerSize.length + Number(headerSize.value);
  if (segmentPos >= fileSize) throw new MediaError('media.truncated', 'Matroska file ends inside its EBML header');
  const segment = await readAt(file, segmentPos, 12);
  const segmentId = readVint(segment, 0, true);
  if (!segmentId) throw new MediaError('media.truncated', 'Matroska file ends before its Segment');
  // Other top-level layouts are legal but rare; leave them to the demuxer.
  if (segmentId.value !== BigInt(MKV_SEGMENT_ID)) return;
  const segmentSize = readVint(segment, segmentId.length, false);
  if (!segmentSize) throw new MediaError('media.truncated', 'Matroska file ends inside its Segment header');
  if (segmentSize.unknown) return; // live-style stream with no declared size: nothing to compare
  const declaredEnd = BigInt(segmentPos + segmentId.length + segmentSize.length) + segmentSize.value;
  if (declaredEnd > BigInt(fileSize)) {
    throw new MediaError('media.truncated', `Matroska file is cut short: its Segment ends at byte ${declaredEnd}, the file has ${fileSize}`, {
      declared: Number(declaredEnd),
      available: fileSize,
    });
  }
}
