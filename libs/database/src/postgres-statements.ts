import { Client } from 'pg';

/** Distinct statement texts the process remembers; past it the memory starts afresh (names are never reused, so nothing collides). */
const TEXTS_REMEMBERED = 5_000;
/** Statements one connection keeps prepared: PostgreSQL holds each one's plan in that backend's memory. */
const PREPARED_PER_CONNECTION = 300;
/** SQLSTATE 0A000, raised for a prepared statement whose result type a migration changed (`cached plan must not change result type`). */
const FEATURE_NOT_SUPPORTED = '0A000';

interface Text {
  name: string;
  uses: number;
}

type Callback = (error: Error | null, result?: unknown) => void;

/**
 * Which statement texts run often enough to be prepared, shared by every
 * connection of a pool. A text gets a name the second time it is seen, so a
 * statement run once (an ad-hoc report, an insert of an odd number of rows)
 * never takes a slot in a backend's memory.
 */
export class StatementNames {
  private static nextName = 1;
  private readonly texts = new Map<string, Text>();
  /** Texts that must never be prepared again: their result type changed under a prepared statement. */
  private readonly refused = new Set<string>();

  constructor(private readonly limits = { remembered: TEXTS_REMEMBERED, perConnection: PREPARED_PER_CONNECTION }) {}

  /** The name for `text` on a connection that holds `prepared`, or undefined to send it unnamed. */
  nameFor(text: string, prepared: Set<string>): string | undefined {
    if (this.refused.has(text)) return undefined;
    let known = this.texts.get(text);
    if (!known) {
      if (this.texts.size >= this.limits.remembered) this.texts.clear();
      known = { name: `loupe_${StatementNames.nextName++}`, uses: 0 };
      this.texts.set(text, known);
    }
    known.uses++;
    if (prepared.has(known.name)) return known.name;
    if (known.uses < 2 || prepared.size >= this.limits.perConnection) return undefined;
    prepared.add(known.name);
    return known.name;
  }

  refuse(text: string): void {
    this.refused.add(text);
    this.texts.delete(text);
  }
}

/**
 * A pg client that sends the statements the process repeats as named
 * prepared statements, so PostgreSQL parses and analyses each text once per
 * connection (and after five runs may keep a generic plan), and a repeat
 * sends a bind and an execute instead of the whole text.
 *
 * Why: every claim and decision of the review API sends a dozen statements,
 * each parsed and planned afresh on the same two cores as the api process;
 * the PGlite driver already prepares (pglite-prepared-statements.ts).
 * Drizzle can name a statement only where a repository builds it with
 * `.prepare(name)`, which would split every repository into a prepared and
 * a plain path; naming by text does it for all of them, hot ones first.
 *
 * Only statements that already go by the extended protocol (parameters, or
 * rows as arrays, which is how Drizzle sends its queries) are named: a
 * parameterless text may hold several statements (migrations), which the
 * extended protocol refuses.
 */
export function preparingClient(names: StatementNames): typeof Client {
  return class PreparingClient extends Client {
    /** Names this connection has prepared. */
    private readonly prepared = new Set<string>();

    // pg's query() has a dozen overloads; this one forwards whatever it was given.
    override query(config: any, values?: any, callback?: any): any {
      const text = extendedText(config, values);
      const name = text === undefined ? undefined : names.nameFor(text, this.prepared);
      if (name === undefined) return super.query(config, values, callback);
      const forget = (error: unknown) => {
        if ((error as { code?: string } | null)?.code !== FEATURE_NOT_SUPPORTED) return;
        // A migration changed the statement's result type: PostgreSQL will not rebind it, so it goes unnamed from now on.
        names.refuse(text!);
        this.prepared.delete(name);
        delete (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements[name];
      };
      const named = { ...config, name };
      if (typeof values === 'function' || typeof callback === 'function') {
        const done: Callback = typeof values === 'function' ? values : callback;
        const wrapped: Callback = (error, result) => {
          if (error) forget(error);
          done(error, result);
        };
        return typeof values === 'function' ? super.query(named, wrapped) : super.query(named, values, wrapped);
      }
      return (super.query(named, values) as Promise<unknown>).catch((error: unknown) => {
        forget(error);
        throw error;
      });
    }
  } as unknown as typeof Client;
}

/** The text of a query config that runs by the extended protocol and has no name of its own; undefined otherwise. */
function extendedText(config: unknown, values: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const query = config as { text?: unknown; name?: unknown; submit?: unknown; values?: unknown; rowMode?: unknown };
  if (typeof query.text !== 'string' || query.name !== undefined || typeof query.submit === 'function') return undefined;
  const parameters = Array.isArray(values) ? values : query.values;
  const extended = (Array.isArray(parameters) && parameters.length > 0) || query.rowMode === 'array';
  return extended ? query.text : undefined;
}
