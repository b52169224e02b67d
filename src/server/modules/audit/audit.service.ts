import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../../access/actor.ts';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure';
  targetType?: string;
  targetId?: string | number;
  unitId?: number | null;
  detail?: Record<string, unknown>;
  /** For events before a session exists (a failed login): who it concerned. */
  actorAccountId?: number | null;
  actorName?: string | null;
}

/** The address and request id an audit entry names; carried on the actor for entries written deep in a service. */
export const requestOrigin = (request: FastifyRequest): RequestOrigin => ({
  ip: request.ip,
  requestId: String(request.id),
});

/**
 * Appends to the audit log. Pass the transaction when the audited change is written in one, so the entry
 * and the change commit or roll back together.
 */
export async function audit(q: Queryable, request: FastifyRequest, entry: AuditEntry): Promise<void> {
  const actor = request.actor;
  const origin = requestOrigin(request);
  await q
    .insertInto('audit_log')
    .values({
      actor_account_id: entry.actorAccountId ?? actor?.accountId ?? null,
      actor_name: entry.actorName ?? actor?.displayName ?? null,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      unit_id: entry.unitId ?? null,
      ip: origin.ip,
      request_id: origin.requestId,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/**
 * Runs a change and, when it is refused as forbidden, records the attempt. The change's own transaction has
 * rolled back by then, so the refusal is written on its own (pass `database.db`, not the transaction).
 */
export async function auditRefusals<T>(
  q: Queryable,
  request: FastifyRequest,
  entry: AuditEntry,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code === 'FORBIDDEN') {
      await audit(q, request, {
        ...entry,
        outcome: 'failure',
        detail: { ...entry.detail, reason: error.message, ...(error.details ? { refused: error.details } : {}) },
      });
    }
    throw error;
  }
}
