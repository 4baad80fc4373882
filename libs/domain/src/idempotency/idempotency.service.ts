import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { IdempotencyRepository, IdempotencyScope } from '@loupe/database';

/**
 * An in-flight claim older than this is taken to be from a process that died
 * before finishing, and a repeat runs the request again. It is far longer than
 * any request holds a claim: the upload is staged before the claim is made.
 */
const STALE_CLAIM_SECONDS = 300;

/** How often expired keys are deleted, at most; lookups ignore them anyway. */
const PURGE_INTERVAL_MS = 60_000;

/** Printable ASCII, as Stripe and the IETF draft use; long enough for a UUID or a hash. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type IdempotentStart =
  /** The first request with this key: run it, then `finish` with its response (or `abandon` on failure). */
  | { kind: 'first'; finish(statusCode: number, body: string): Promise<void>; abandon(): Promise<void> }
  /** A repeat of a finished request: answer with its stored response. */
  | { kind: 'replay'; statusCode: number; body: string };

/**
 * Idempotency-Key: a client that retries after a timeout gets the first
 * attempt's response instead of a duplicate. Only successful responses are
 * stored; a failed request frees its key, so it can be retried as it is.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  private lastPurge = 0;

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly config: LoupeConfig,
  ) {}

  async begin(apiKeyId: string, key: string, fingerprint: string): Promise<IdempotentStart> {
    if (!KEY_PATTERN.test(key)) {
      throw ApiError.badRequest('idempotency.invalid_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
    }
    await this.purgeNowAndThen();
    const scope: IdempotencyScope = { apiKeyId, key };
    const claim = await this.keys.claim(scope, fingerprint, this.config.idempotency.retentionSeconds, STALE_CLAIM_SECONDS);
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.fingerprint !== fingerprint) {
        throw ApiError.unprocessable('idempotency.mismatch', 'This Idempotency-Key was used for a different request; use a new key for a new request');
      }
      if (existing.statusCode === null || existing.responseBody === null) {
        throw ApiError.conflict('idempotency.in_progress', 'A request with this Idempotency-Key is still in progress; retry it shortly');
      }
      return { kind: 'replay', statusCode: existing.statusCode, body: existing.responseBody };
    }
    const { token } = claim;
    return {
      kind: 'first',
      finish: async (statusCode, body) => {
        // The work is done: failing to record it must not turn its success into
        // an error. The claim then stays in flight until it is stale.
        try {
          await this.keys.complete(scope, token, statusCode, body);
        } catch (error) {
          this.logger.error(`Could not store the response for an Idempotency-Key: ${(error as Error).message}`);
        }
      },
      abandon: async () => {
        try {
          await this.keys.release(scope, token);
        } catch (error) {
          this.logger.warn(`Could not release an Idempotency-Key; it frees itself after ${STALE_CLAIM_SECONDS} s: ${(error as Error).message}`);
        }
      },
    };
  }

  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = Date.now();
    try {
      await this.keys.purgeExpired();
    } catch (error) {
      this.logger.warn(`Could not purge expired Idempotency-Keys: ${(error as Error).message}`);
    }
  }
}
