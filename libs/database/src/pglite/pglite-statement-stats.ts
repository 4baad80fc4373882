import { writeFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
// PGlite's bundled contrib entry is typed for ESM resolution only; its CommonJS build is what runs here.
const { pg_stat_statements } = require('@electric-sql/pglite/contrib/pg_stat_statements') as { pg_stat_statements: unknown };

/** How often the table is written while the database runs (and once more when it closes). */
const WRITE_EVERY_MS = 20_000;
const TOP = 100;

/**
 * PGLITE_STATEMENT_STATS: pg_stat_statements on the embedded database, for
 * finding where its thread's time goes. That thread runs every statement of
 * every request in turn, so under load it is the first thing to run out (the
 * simulated day: docs/benchmarks.md). The table, the statements with the most
 * planning plus execution time first, with `track_planning` on (PGlite plans
 * every statement afresh, and in WebAssembly planning a one-row read costs
 * more than running it), is written as JSON to the file every 20 s and when
 * the database closes. A diagnostic: it creates the extension in the
 * database it runs on, and it costs time of its own.
 */
export class StatementStats {
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly pg: PGlite,
    private readonly file: string,
  ) {
    this.timer = setInterval(() => void this.write(), WRITE_EVERY_MS).unref();
  }

  /** The extensions PGlite must be created with. */
  static extensions(): Record<string, never> {
    return { pg_stat_statements } as unknown as Record<string, never>;
  }

  static async start(pg: PGlite, file: string): Promise<StatementStats> {
    // After the migrations: they are not the workload being measured.
    await pg.exec('create extension if not exists pg_stat_statements; set pg_stat_statements.track_planning = on; select pg_stat_statements_reset();');
    return new StatementStats(pg, file);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.write();
  }

  private write(): Promise<void> {
    // One write at a time, in order: the last one (at close) holds the final figures.
    this.writing = this.writing.then(async () => {
      const { rows } = await this.pg.query(
        `select calls::int, round(total_exec_time::numeric, 1)::float8 as exec_ms, round(total_plan_time::numeric, 1)::float8 as plan_ms, rows::int, query
         from pg_stat_statements order by total_exec_time + total_plan_time desc limit ${TOP}`,
      );
      await writeFile(this.file, JSON.stringify(rows, null, 1));
    }).catch((error: unknown) => process.emitWarning(`PGLITE_STATEMENT_STATS: could not write ${this.file}: ${(error as Error).message}`));
    return this.writing;
  }
}
