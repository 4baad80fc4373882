import { sniffVideoContainer } from '../video/video-container-check';

export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export const VIDEO_FORMATS = ['mp4', 'mov', 'webm'] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];

export type SniffedFormat =
  | { kind: 'image'; format: ImageFormat; extension: string; mime: string }
  | { kind: 'video'; format: VideoFormat; extension: string; mime: string };

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function sniffVideo(head: Uint8Array): SniffedFormat | null {
  const family = sniffVideoContainer(head);
  if (family === 'matroska') return { kind: 'video', format: 'webm', extension: 'webm', mime: 'video/webm' };
  if (family === 'iso-bmff') {
    // QuickTime files announce the brand "qt  " in their ftyp box.
    return startsWith(head, ascii('ftypqt  '), 4)
      ? { kind: 'video', format: 'mov', extension: 'mov', mime: 'video/quicktime' }
      : { kind: 'video', format: 'mp4', extension: 'mp4', mime: 'video/mp4' };
  }
  return null;
}

/**
 * Identifies a file by its magic bytes. The client's Content-Type and file
 * name are never trusted: a renamed executable must not reach a decoder.
 * Pass at least the first 32 bytes.
 */
export function sniffFormat(head: Uint8Array): SniffedFormat | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg', extension: 'jpg', mime: 'image/jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { kind: 'image', format: 'png', extension: 'png', mime: 'image/png' };
  }
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) {
    return { kind: 'image', format: 'gif', extension: 'gif', mime: 'image/gif' };
  }
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) {
    return { kind: 'image', format: 'webp', extension: 'webp', mime: 'image/webp' };
  }
  return sniffVideo(head);
}
