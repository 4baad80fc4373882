import { Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { datasets } from '../schema';
import { RepositoryBase } from './repository.base';

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetInsert = typeof datasets.$inferInsert;

@Injectable()
export class DatasetRepository extends RepositoryBase {
  /** With its id chosen by the caller: the files are written under it first. */
  async create(values: DatasetInsert & { id: string }): Promise<DatasetRow> {
    const [row] = await this.db.insert(datasets).values(values).returning();
    return row;
  }

  async findById(id: string): Promise<DatasetRow | undefined> {
    const [row] = await this.db.select().from(datasets).where(eq(datasets.id, id));
    return row;
  }

  async list(limit: number): Promise<DatasetRow[]> {
    return this.db.select().from(datasets).orderBy(desc(datasets.createdAt)).limit(limit);
  }
}
