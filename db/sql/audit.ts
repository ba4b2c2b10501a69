// The append-only audit log (migration 0007): who changed what, with the row
// before and after. Written in the same batch as the change it records.
import { sql, type Statement } from './statement.ts';

export interface AuditEntry {
  actorUserId: string;
  /** e.g. 'video_asset.upload_start', 'job.retry'. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

export function auditEntry(e: AuditEntry): Statement<{ id: string }> {
  return sql(
    `INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, before, after, request_id)
     VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::jsonb, $7) RETURNING id`,
    [e.actorUserId, e.action, e.entityType, e.entityId, e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after), e.requestId ?? null],
  );
}
