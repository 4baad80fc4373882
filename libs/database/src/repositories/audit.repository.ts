import { Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import { auditEvents } from '../schema';
import { RepositoryBase } from './repository.base';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type AuditEventInsert = Omit<typeof auditEvents.$inferInsert, 'id' | 'createdAt'>;

@Injectable()
export class AuditRepository extends RepositoryBase {
  async append(event: AuditEventInsert): Promise<void> {
    await this.db.insert(auditEvents).values(event);
  }

  async findByEntity(entityType: string, entityId: string): Promise<AuditEventRow[]> {
    return this.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)))
      .orderBy(asc(auditEvents.id));
  }
}
