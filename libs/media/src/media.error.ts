/** A problem with the media itself (not with the machine): retrying cannot fix it. */
export class MediaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
