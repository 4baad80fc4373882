import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from './database-connection';
import type { Database } from './database.types';

/**
 * Runs a unit of work in one transaction without threading a handle through
 * every call: repositories read the current transaction from here.
 * PGlite has one connection, so a query issued outside the open transaction
 * would wait for it forever; routing every repository through `db` avoids that.
 */
@Injectable()
export class TransactionManager {
  private readonly storage = new AsyncLocalStorage<Database>();

  constructor(private readonly connection: DatabaseConnection) {}

  get db(): Database {
    return this.storage.getStore() ?? this.connection.db;
  }

  /** Joins the surrounding transaction if there is one. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    return this.connection.db.transaction((tx) => this.storage.run(tx as unknown as Database, work));
  }
}
