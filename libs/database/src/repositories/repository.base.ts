import { Injectable } from '@nestjs/common';
import { getTableColumns, type Table } from 'drizzle-orm';
import type { Database } from '../database.types';
import { TransactionManager } from '../transaction-manager';

// Decorated so that the constructor's parameter types are emitted once, here,
// and every repository inherits its injection of the TransactionManager.
@Injectable()
export abstract class RepositoryBase {
  constructor(private readonly transactions: TransactionManager) {}

  /** The open transaction when there is one, else the pool. */
  protected get db(): Database {
    return this.transactions.db;
  }

  /** See TransactionManager.transactionsRunAlone. */
  protected get transactionsRunAlone(): boolean {
    return this.transactions.transactionsRunAlone;
  }
}

/** A row of `table` as raw SQL returns it (column names, driver values), as Drizzle's own queries would. */
export function fromDriverRow<T>(table: Table, raw: Record<string, unknown>): T {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T;
}
