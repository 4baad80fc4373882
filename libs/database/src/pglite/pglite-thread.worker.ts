import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { PgliteStatementCache } from './pglite-prepared-statements';
import { StatementStats } from './pglite-statement-stats';
import { serializeError, type PgliteReply, type PgliteRequest, type PgliteThreadData, type QueryOptions } from './pglite-thread.protocol';

/**
 * The embedded database's own thread: PGlite (PostgreSQL compiled to
 * WebAssembly) runs every query on the thread that holds it, so on the
 * server's main thread it took about half of that thread's time under
 * ingest. Here it runs beside the event loop; the main thread only sends
 * SQL and receives rows (see PgliteThreadClient).
 *
 * A transaction is PGlite's own (its mutex holds other queries until it
 * ends), kept open between messages: `begin` opens it and answers its
 * number, queries name it, `end` commits or rolls it back.
 */
const ROLLBACK = Symbol('rollback');

interface OpenTransaction {
  tx: Transaction;
  finish: (commit: boolean) => void;
  done: Promise<void>;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pglite-thread.worker must run in a worker thread');
  const { dataDir, migrationsFolder, statementStatsFile, sharedBuffers, pgliteModule } = workerData as PgliteThreadData;
  let pg: PGlite;
  let stats: StatementStats | null = null;
  try {
    pg = await PGlite.create(dataDir ?? undefined, {
      ...(statementStatsFile ? { extensions: StatementStats.extensions() } : {}),
      // PGlite zeroes the whole buffer cache as it starts (128MB by default: about 0.35 s of CPU); a small database can ask for less.
      ...(sharedBuffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] } : {}),
      // The module the client compiled from PGlite's own file (pglite-thread.client); PGlite's type for it is lib DOM's.
      ...(pgliteModule ? { pgliteWasmModule: pgliteModule as NonNullable<PGliteOptions['pgliteWasmModule']> } : {}),
    });
    await migrate(drizzle({ client: pg }), { migrationsFolder });
    if (statementStatsFile) stats = await StatementStats.start(pg, statementStatsFile);
  } catch (error) {
    port.postMessage({ ready: false, error: serializeError(error) });
    return;
  }
  const open = new Map<number, OpenTransaction>();
  let nextTx = 1;
  const reply = (message: PgliteReply): void => port.postMessage(message);
  const target = (tx: number | null): PGlite | Transaction => {
    if (tx === null) return pg;
    const entry = open.get(tx);
    if (!entry) throw new Error(`No open transaction ${tx}`);
    return entry.tx;
  };

  const begin = async (): Promise<number> => {
    const id = nextTx++;
    let opened!: (tx: Transaction) => void;
    const ready = new Promise<Transaction>((resolve) => (opened = resolve));
    let finish!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (finish = resolve));
    const done = pg
      .transaction(async (tx) => {
        opened(tx);
        if (!(await decided)) throw ROLLBACK;
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error !== ROLLBACK) throw error;
        },
      );
    // A transaction that fails to open (BEGIN refused) rejects `done` before `ready`.
    const tx = await Promise.race([ready, done.then(() => Promise.reject(new Error('The transaction ended before it opened')))]);
    open.set(id, { tx, finish, done });
    return id;
  };

  const end = async (id: number, commit: boolean): Promise<void> => {
    const entry = open.get(id);
    if (!entry) throw new Error(`No open transaction ${id}`);
    open.delete(id);
    entry.finish(commit);
    await entry.done;
  };

  const statements = new PgliteStatementCache(pg);
  const query = (sql: string, params: unknown[], options: QueryOptions, tx: number | null) => {
    if (tx !== null && !open.has(tx)) throw new Error(`No open transaction ${tx}`);
    return statements.query(sql, params, options, tx !== null);
  };

  port.on('message', (request: PgliteRequest) => {
    const run = async (): Promise<unknown> => {
      switch (request.op) {
        case 'query':
          return query(request.sql, request.params, request.options, request.tx);
        case 'exec':
          return (await target(request.tx).exec(request.sql)).map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
        case 'begin':
          return begin();
        case 'end':
          return end(request.tx, request.commit);
        case 'close':
          await stats?.stop();
          await pg.close();
          return null;
      }
    };
    run().then(
      (value) => reply({ seq: request.seq, ok: true, value }),
      (error: unknown) => reply({ seq: request.seq, ok: false, error: serializeError(error) }),
    );
  });
  port.postMessage({ ready: true });
}

void main();
