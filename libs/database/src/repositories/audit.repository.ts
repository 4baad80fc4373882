import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, like, lt } from 'drizzle-orm';
import { auditEvents } from '../schema';
import { RepositoryBase } from './repository.base';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type AuditEventInsert = Omit<typeof auditEvents.$inferInsert, 'id' | 'createdAt'>;

export interface AuditFilter {
  /** An exact action, or a prefix ending in `.` (e.g. `review.`). */
  action?: string;
  actorId?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
}

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

  /** Newest first; pass the last id of a page as `before` for the next one. */
  async query(filter: AuditFilter, limit: number, before?: number): Promise<AuditEventRow[]> {
    return this.db
      .select()
      .from(auditEvents)
      .where(
        and(
          filter.action ? (filter.action.endsWith('.') ? like(auditEvents.action, `${filter.action}%`) : eq(auditEvents.action, filter.action)) : undefined,
          filter.actorId ? eq(auditEvents.actorId, filter.actorId) : undefined,
          filter.entityType ? eq(auditEvents.entityType, filter.entityType) : undefined,
          filter.entityId ? eq(auditEvents.entityId, filter.entityId) : undefined,
          filter.from ? gte(auditEvents.createdAt, filter.from) : undefined,
          filter.to ? lt(auditEvents.createdAt, filter.to) : undefined,
          before ? lt(auditEvents.id, before) : undefined,
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(limit);
  }

  /** How many times each actor did `action` in the window (reveal rates, for instance). */
  async countByActor(action: string, from: Date, to: Date): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), gte(auditEvents.createdAt, from), lt(auditEvents.createdAt, to)));
    const counts = new Map<string, number>();
    for (const { actorId } of rows) if (actorId) counts.set(actorId, (counts.get(actorId) ?? 0) + 1);
    return counts;
  }
}
