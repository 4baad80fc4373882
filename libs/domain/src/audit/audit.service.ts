import { Injectable } from '@nestjs/common';
import { AuditEventRow, AuditFilter, AuditRepository } from '@loupe/database';
import type { Principal } from '@loupe/vocabulary';

export interface AuditEntity {
  type: string;
  id: string;
}

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  /** Appends one event; call it inside the transaction of the change it describes. */
  async record(actor: Principal | null, action: string, entity: AuditEntity, data: Record<string, unknown> = {}): Promise<void> {
    await this.audit.append({
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? 'system',
      action,
      entityType: entity.type,
      entityId: entity.id,
      data,
    });
  }

  history(entity: AuditEntity): Promise<AuditEventRow[]> {
    return this.audit.findByEntity(entity.type, entity.id);
  }

  query(filter: AuditFilter, limit: number, before?: number): Promise<AuditEventRow[]> {
    return this.audit.query(filter, limit, before);
  }
}
