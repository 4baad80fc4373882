import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DatabaseConnection } from './database-connection';
import type { Database } from './database.types';

interface TransactionScope {
  db: Database;
  afterCommit: (() => void)[];
}

/**
 * Runs a unit of work in one transaction without threading a handle through
 * every call: repositories read the current transaction from here.
 * PGlite has one connection, so a query issued outside the open transaction
 * would wait for it forever; routing every repository through `db` avoids that.
 */
@Injectable()
export class TransactionManager {
  private readonly logger = new Logger(TransactionManager.name);
  private readonly storage = new AsyncLocalStorage<TransactionScope>();

  constructor(private readonly connection: DatabaseConnection) {}

  get db(): Database {
    return this.storage.getStore()?.db ?? this.connection.db;
  }

  /**
   * Whether transactions never overlap: on PGlite a transaction holds the
   * only connection from BEGIN to COMMIT, and every other statement waits.
   * There a lock taken only to order transactions against each other is
   * already held, and taking it costs a round trip inside the hold.
   */
  get transactionsRunAlone(): boolean {
    return this.connection.kind === 'pglite';
  }

  /** Joins the surrounding transaction if there is one. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    const afterCommit: (() => void)[] = [];
    const result = await this.connection.db.transaction((tx) => this.storage.run({ db: tx as unknown as Database, afterCommit }, work));
    for (const callback of afterCommit) {
      try {
        callback();
      } catch (error) {
        this.logger.error(`An after-commit callback failed: ${(error as Error).message}`);
      }
    }
    return result;
  }

  /**
   * Runs `callback` once the outermost transaction has committed (at once
   * outside one): for effects other readers must only see after the commit,
   * such as telling the match index to reload.
   */
  afterCommit(callback: () => void): void {
    const scope = this.storage.getStore();
    if (!scope) {
      callback();
      return;
    }
    scope.afterCommit.push(callback);
  }

  /**
   * Stops tracking transactions, once the connection is closed. Every live
   * AsyncLocalStorage costs every promise the process creates afterwards a
   * copy of its store, so a process that runs one application after another
   * (the test suite's workers) would otherwise pay for all of them.
   */
  close(): void {
    this.storage.disable();
  }
}
