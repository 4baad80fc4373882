import { Injectable } from '@nestjs/common';
import { auditEvents } from '../schema';
import { RepositoryBase } from './repository.base';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type AuditEventInsert = Omit<typeof auditEvents.$inferInsert, 'id' | 'createdAt'>;

@Injectable()
export class AuditRepository extends RepositoryBase {
  async append(event: AuditEventInsert): Promise<void> {
    await this.db.insert(auditEvents).values(event);
  }
}
