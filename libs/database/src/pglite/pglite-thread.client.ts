import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type CompiledWasm,
  deserializeError,
  type PgliteReady,
  type PgliteReply,
  type PgliteRequest,
  type PgliteStartFailure,
  type PgliteThreadData,
  type QueryOptions,
} from './pglite-thread.protocol';

function workerFile(): string {
  const compiled = path.join(__dirname, 'pglite-thread.worker.js');
  return existsSync(compiled) ? compiled : path.join(__dirname, 'pglite-thread.worker.dev.cjs');
}

const Wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledWasm> } }).WebAssembly;
let compiledPglite: Promise<CompiledWasm | null> | undefined;

/**
 * PGlite's WebAssembly (9 MB), compiled once per process and handed to each
 * thread that opens a database: a thread that compiles its own spends about
 * 0.4 s more CPU on every start (0.65 against 0.25 s, measured). Loupe runs
 * one embedded database per process, so this matters where a process opens
 * many, one after another: the tests, a server per file (once per Jest
 * worker from the build; from the sources, Jest loads this module again for
 * each file). Null when the file is not where the package keeps it: each
 * thread then compiles its own.
 */
function pgliteModule(): Promise<CompiledWasm | null> {
  compiledPglite ??= readFile(path.join(path.dirname(require.resolve('@electric-sql/pglite')), 'pglite.wasm'))
    .then((bytes) => Wasm.compile(bytes))
    .catch(() => null);
  return compiledPglite;
}

type Distribute<T> = T extends unknown ? Omit<T, 'seq'> : never;
type Request = Distribute<PgliteRequest>;

/** What PGlite's query answers, as Drizzle reads it. */
export interface ThreadQueryResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** The options Drizzle passes: a row mode, and parsers that keep some types as text. */
interface DrizzleQueryConfig {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

/**
 * Drizzle's parsers must cross the thread as data: it passes only parsers
 * that return the text unchanged (timestamps, intervals, dates and their
 * arrays, numeric[]), which the thread re-creates from the type ids.
 */
function queryOptions(config: DrizzleQueryConfig | undefined): QueryOptions {
  const rawTypes: number[] = [];
  for (const [type, parse] of Object.entries(config?.parsers ?? {})) {
    if (parse('x', Number(type)) !== 'x') throw new Error(`The PGlite thread keeps type ${type} as text or parses it itself; it cannot run this parser`);
    rawTypes.push(Number(type));
  }
  return { rowMode: config?.rowMode ?? 'object', rawTypes };
}

/** The queries of one open transaction: what Drizzle's transaction callback is handed in place of PGlite's Transaction. */
class ThreadTransaction {
  constructor(
    private readonly thread: PgliteThreadClient,
    readonly id: number,
  ) {}

  query(sql: string, params: unknown[] = [], config?: DrizzleQueryConfig): Promise<ThreadQueryResult> {
    return this.thread.send({ op: 'query', sql, params, options: queryOptions(config), tx: this.id }) as Promise<ThreadQueryResult>;
  }

  exec(sql: string): Promise<ThreadQueryResult[]> {
    return this.thread.send({ op: 'exec', sql, tx: this.id }) as Promise<ThreadQueryResult[]>;
  }
}

/**
 * The embedded database, run on a thread of its own (pglite-thread.worker),
 * behind the part of PGlite's client that Drizzle uses: query, exec and
 * transaction. Numbered requests, one promise each; a thread that dies
 * fails everything pending and everything after with its error.
 */
export class PgliteThreadClient {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextSeq = 1;
  private failure: Error | null = null;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: PgliteReply) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`The PGlite thread exited with code ${code}`)));
  }

  /** Starts the thread, opens the database there and migrates it; resolves once it answers queries. */
  static async start(data: PgliteThreadData): Promise<PgliteThreadClient> {
    const compiled = await pgliteModule();
    const worker = new Worker(workerFile(), { workerData: { ...data, ...(compiled ? { pgliteModule: compiled } : {}) } satisfies PgliteThreadData });
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('message', onReady);
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`The PGlite thread exited with code ${code} while starting`));
      };
      const onReady = (message: PgliteReady | PgliteStartFailure): void => {
        if (!('ready' in message)) return;
        cleanup();
        if (message.ready) resolve(new PgliteThreadClient(worker));
        else void worker.terminate().finally(() => reject(deserializeError(message.error)));
      };
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.on('message', onReady);
    });
  }

  query(sql: string, params: unknown[] = [], config?: DrizzleQueryConfig): Promise<ThreadQueryResult> {
    return this.send({ op: 'query', sql, params, options: queryOptions(config), tx: null }) as Promise<ThreadQueryResult>;
  }

  exec(sql: string): Promise<ThreadQueryResult[]> {
    return this.send({ op: 'exec', sql, tx: null }) as Promise<ThreadQueryResult[]>;
  }

  /** As PGlite's: commits when `work` resolves, rolls back when it throws (and throws that). */
  async transaction<T>(work: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const id = (await this.send({ op: 'begin' })) as number;
    let result: T;
    try {
      result = await work(new ThreadTransaction(this, id));
    } catch (error) {
      await this.send({ op: 'end', tx: id, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.send({ op: 'end', tx: id, commit: true });
    return result;
  }

  /** Closes the database (a clean shutdown of its files), then stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.failure) await this.send({ op: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  /** @internal */
  send(request: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('The embedded database is closed'));
    const seq = this.nextSeq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...request, seq });
    });
  }

  private settle(message: PgliteReply): void {
    const entry = this.pending.get(message.seq);
    if (!entry) return;
    this.pending.delete(message.seq);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(deserializeError(message.error));
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
