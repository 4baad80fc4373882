import { Injectable } from '@nestjs/common';
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
}
