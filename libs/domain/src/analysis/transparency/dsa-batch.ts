/*
 * Statements in the batch endpoint's payloads: POST /api/v1/statements with
 * {statements: [...]}, at most 100 a call (StatementMultipleAPIController).
 * Generators, so an export streams a period from a cursor without holding it.
 */
import { DSA_BATCH_MAX } from './dsa-vocabulary';
import type { DsaStatement } from './dsa-statement';

/** The body of one call to the batch endpoint. */
export interface DsaBatchPayload {
  statements: DsaStatement[];
}

/** Why an export could not be shaped; `code` is stable for callers and logs. */
export class DsaExportError extends Error {
  constructor(
    readonly code: 'dsa.batch_size',
    message: string,
  ) {
    super(message);
    this.name = 'DsaExportError';
  }
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > DSA_BATCH_MAX) {
    throw new DsaExportError('dsa.batch_size', `A batch holds 1 to ${DSA_BATCH_MAX} statements, not ${size}`);
  }
}

/** Chunks statements into batch payloads of `size` (the last one shorter); none for no statements. */
export function* dsaBatches(statements: Iterable<DsaStatement>, size: number = DSA_BATCH_MAX): Generator<DsaBatchPayload> {
  checkSize(size);
  let batch: DsaStatement[] = [];
  for (const statement of statements) {
    batch.push(statement);
    if (batch.length === size) {
      yield { statements: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { statements: batch };
}

/** dsaBatches for a stream, such as statements built from a database cursor over a period. */
export async function* dsaBatchesAsync(statements: AsyncIterable<DsaStatement>, size: number = DSA_BATCH_MAX): AsyncGenerator<DsaBatchPayload> {
  checkSize(size);
  let batch: DsaStatement[] = [];
  for await (const statement of statements) {
    batch.push(statement);
    if (batch.length === size) {
      yield { statements: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { statements: batch };
}
