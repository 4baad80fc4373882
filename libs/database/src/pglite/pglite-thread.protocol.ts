/**
 * A compiled WebAssembly module, opaque here: the repository compiles with
 * lib ES2023 and @types/node 20, neither of which declares WebAssembly, and
 * a global declaration would clash with lib "DOM" (see libs/index's wasm-api).
 */
export interface CompiledWasm {
  readonly __brand?: 'CompiledWasm';
}

/** What the PGlite thread is started with. */
export interface PgliteThreadData {
  /** null: in memory. */
  dataDir: string | null;
  migrationsFolder: string;
  /** PGLITE_STATEMENT_STATS: where to write pg_stat_statements' table (see pglite-thread.worker); null or absent: not kept. */
  statementStatsFile?: string | null;
  /** PGLITE_SHARED_BUFFERS: shared_buffers for this run; null or absent: the data directory's. */
  sharedBuffers?: string | null;
  /** PGlite's WebAssembly, compiled by the process (pglite-thread.client); absent: the thread compiles its own. */
  pgliteModule?: CompiledWasm;
}

/** A query's options as Drizzle passes them, reduced to what can cross a thread: the types it keeps as text. */
export interface QueryOptions {
  rowMode: 'array' | 'object';
  /** Type OIDs whose values come back as the text PostgreSQL sent (Drizzle's identity parsers). */
  rawTypes: number[];
}

export type PgliteRequest =
  | { seq: number; op: 'query'; sql: string; params: unknown[]; options: QueryOptions; tx: number | null }
  | { seq: number; op: 'exec'; sql: string; tx: number | null }
  | { seq: number; op: 'begin' }
  | { seq: number; op: 'end'; tx: number; commit: boolean }
  | { seq: number; op: 'close' };

/** A database error's fields, which a thread boundary would otherwise drop (only name and message survive a structured clone). */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, string | number | undefined>;
}

export type PgliteReply = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: SerializedError };

export interface PgliteReady {
  ready: true;
}

export interface PgliteStartFailure {
  ready: false;
  error: SerializedError;
}

/** PostgreSQL error fields that callers read (the SQLSTATE code above all: unique and foreign-key violations). */
const ERROR_FIELDS = ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'position', 'where', 'dataType', 'routine'] as const;

export function serializeError(error: unknown): SerializedError {
  const source = (error ?? {}) as Record<string, unknown>;
  const fields: SerializedError['fields'] = {};
  for (const key of ERROR_FIELDS) {
    const value = source[key];
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: typeof source.name === 'string' ? source.name : 'Error', message: error instanceof Error ? error.message : String(error), fields };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  return Object.assign(error, serialized.fields);
}
