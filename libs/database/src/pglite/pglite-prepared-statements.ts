import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { QueryOptions } from './pglite-thread.protocol';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

interface Statement {
  name: string;
  /** The parameter types PostgreSQL inferred, which pick each value's serializer. */
  paramTypes: number[];
  /** Its RowDescription (null for a statement that returns no rows): execution alone does not send one. */
  rowDescription: BackendMessage | null;
}

const { serialize } = protocol;

/** Enough for every distinct statement Loupe sends (Drizzle writes one text per query shape); the least recently used is closed past it. */
const DEFAULT_CAPACITY = 2_000;

/**
 * Queries as named prepared statements, so each text is parsed and analysed
 * once per database, and PostgreSQL may keep its plan.
 *
 * Why: PGlite's query() sends every statement unnamed: parse, describe,
 * bind, describe, execute, sync, each a call into the WebAssembly, and a
 * fresh plan every time. pg_stat_statements on a simulated day showed
 * planning alone at 57% of the embedded database's statement time (0.2 to
 * 0.4 ms to plan a one-row read, five times its execution), on the thread
 * that is the server's bottleneck. A named statement is parsed once; after
 * five executions PostgreSQL switches to a generic plan when that plan
 * costs no more than the custom ones (plan_cache_mode auto), and a
 * repeat is one bind, execute and sync.
 *
 * The same rules as PGlite's query(): outside a transaction a query waits
 * for any open one (the transaction mutex), and every query holds the
 * query mutex. Prepared statements belong to the session, not to a
 * transaction: one prepared in a transaction that rolls back stays valid.
 */
export class PgliteStatementCache {
  private readonly statements = new Map<string, Statement>();
  /** PGlite's parsers with the raw types' identity parsers over them, per set of raw types (Drizzle passes one or two sets). */
  private readonly parserSets = new Map<string, typeof this.pg.parsers>();
  /** Names unique in the process, so two caches on one database (tests) never collide. */
  private static nextName = 1;

  constructor(
    private readonly pg: PGlite,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Runs `sql`; `inTransaction`: the caller holds an open transaction (so only the query mutex is taken). */
  query(sql: string, params: unknown[], options: QueryOptions, inTransaction: boolean) {
    const run = () => this.pg._runExclusiveQuery(() => this.run(sql, params, options, inTransaction));
    return inTransaction ? run() : this.pg._runExclusiveTransaction(run);
  }

  /** How many statements are prepared now (for tests). */
  get size(): number {
    return this.statements.size;
  }

  private async run(sql: string, params: unknown[], options: QueryOptions, inTransaction: boolean) {
    const messages: BackendMessage[] = [];
    let statement: Statement | undefined;
    try {
      statement = this.recall(sql) ?? (await this.prepare(sql));
      const values = params.map((value, i) => this.serialize(value, statement!.paramTypes[i]));
      messages.push(...(await this.send(serialize.bind({ statement: statement.name, values }))));
      messages.push(...(await this.send(serialize.execute({}))));
    } finally {
      messages.push(...(await this.send(serialize.sync())));
    }
    if (!inTransaction) await this.pg.syncToFs();
    const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages;
    const [result] = parse.parseResults(described, this.parsersFor(options.rawTypes), { rowMode: options.rowMode });
    return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
  }

  /**
   * The parsers for a query, merged once per set of raw types. Why: given
   * parsers in its options, parseResults spreads them and all 318 of
   * PGlite's into a new object on every query; that spread was the largest
   * piece of the PGlite thread's JavaScript in the tests. PGlite fills its
   * parsers when it starts (array types included) and changes them only in
   * refreshArrayTypes(), which Loupe never calls; a merged copy stays true.
   */
  private parsersFor(rawTypes: number[]): typeof this.pg.parsers {
    const key = rawTypes.join(',');
    let parsers = this.parserSets.get(key);
    if (!parsers) {
      parsers = { ...this.pg.parsers, ...Object.fromEntries(rawTypes.map((type) => [type, (value: string) => value])) };
      this.parserSets.set(key, parsers);
    }
    return parsers;
  }

  private async prepare(sql: string): Promise<Statement> {
    const name = `loupe_${PgliteStatementCache.nextName++}`;
    await this.send(serialize.parse({ name, text: sql }));
    const described = await this.send(serialize.describe({ type: 'S', name }));
    const statement: Statement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(described),
      rowDescription: described.find((message) => message.name === 'rowDescription') ?? null,
    };
    this.statements.set(sql, statement);
    await this.evict();
    return statement;
  }

  /** A hit moves to the end of the map: its order is the order of use, so the first entry is the least recently used. */
  private recall(sql: string): Statement | undefined {
    const statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Closes the least recently used statements past the capacity. */
  private async evict(): Promise<void> {
    while (this.statements.size > this.capacity) {
      const [sql, oldest] = this.statements.entries().next().value as [string, Statement];
      this.statements.delete(sql);
      await this.send(serialize.close({ type: 'S', name: oldest.name }));
    }
  }

  /** A byte array goes as it is, in binary format: the caller encoded it for the parameter's type (e.g. float4Array). */
  private serialize(value: unknown, type: number | undefined): string | Uint8Array | null {
    if (value === null || value === undefined) return null;
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const serializer = type === undefined ? undefined : this.pg.serializers[type];
    return serializer ? (serializer(value) as string) : String(value);
  }

  private send(message: Uint8Array): Promise<BackendMessage[]> {
    return this.pg.execProtocolStream(message, { syncToFs: false });
  }
}
