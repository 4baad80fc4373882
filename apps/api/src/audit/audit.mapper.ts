import type { AuditEventRow } from '@loupe/domain/audit';
import { AuditEventRecordDto } from './audit.dto';

export function toAuditEventRecordDto(event: AuditEventRow): AuditEventRecordDto {
  return {
    id: event.id,
    action: event.action,
    actorId: event.actorId,
    actorRole: event.actorRole,
    entityType: event.entityType,
    entityId: event.entityId,
    data: event.data,
    at: event.createdAt,
  };
}
