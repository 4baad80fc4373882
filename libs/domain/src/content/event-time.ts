import { ApiError } from '@loupe/common';

/** How far ahead of Loupe's clock a platform's event time may be: clocks drift a little, the future does not happen. */
export const EVENT_TIME_MAX_SKEW_MS = 5 * 60_000;

/**
 * Checks a time the platform stamped an event with (an upload's postedAt, a
 * report's reportedAt): a platform may send events late, so any past time is
 * taken as it is, but one ahead of the clock is a bug on its side (400 `code`).
 */
export function assertEventTimeNotAhead(at: Date | undefined, field: string, code: string, now = Date.now()): void {
  if (at && at.getTime() > now + EVENT_TIME_MAX_SKEW_MS) {
    throw ApiError.badRequest(code, `${field} ${at.toISOString()} is ahead of Loupe's clock by more than ${EVENT_TIME_MAX_SKEW_MS / 60_000} minutes`, { field });
  }
}
