import type { ImageFormat } from './image.factory';

export interface ContentFields {
  caption?: string;
  hashtags?: string;
  creatorId?: string;
  region?: string;
  language?: string;
  [extra: string]: string | undefined;
}

const MIME: Record<ImageFormat | 'bin' | 'mp4' | 'webm' | 'mov', string> = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bin: 'application/octet-stream',
};

/** The multipart body of POST /v1/contents, with sensible defaults for every field. */
export function contentForm(file: Buffer | null, fields: ContentFields = {}, filename = 'upload.png', type: keyof typeof MIME = 'png'): FormData {
  const form = new FormData();
  const values: ContentFields = { caption: 'a day at the beach', hashtags: '#summer,#beach', creatorId: 'creator-1', region: 'US', language: 'en', ...fields };
  for (const [name, value] of Object.entries(values)) if (value !== undefined) form.append(name, value);
  if (file) form.append('file', new Blob([file], { type: MIME[type] }), filename);
  return form;
}
