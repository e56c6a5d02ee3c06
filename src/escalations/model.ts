/** Escalation rows ↔ the domain's Escalation, and who in an area may act. */
import { hasAreaRole, type Person } from '../domain/directory';
import type { Actor, Escalation, EscalationState, HistoryEntry, Pathway } from '../domain/escalation';
import type { EscalationEntity } from '../storage/escalations.table';

export function toEscalation(e: EscalationEntity): Escalation {
  return {
    id: e.rowKey,
    areaId: e.partitionKey,
    homeId: e.homeId,
    state: e.state as EscalationState,
    version: e.version,
    ...(e.owner ? { owner: e.owner } : {}),
    ...(e.keyWorker ? { keyWorker: e.keyWorker } : {}),
    ...(e.pathway ? { pathway: e.pathway as Pathway } : {}),
    ...(e.rationale ? { rationale: e.rationale } : {}),
    ...(e.externalRef ? { externalRef: e.externalRef } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(e.referredBy ? { referredBy: e.referredBy, referredAt: e.referredAt } : {}),
    history: e.history ? (JSON.parse(e.history) as HistoryEntry[]) : [],
  };
}

/** The row for a new version: the domain's fields, plus the decision times the digest reads. */
export function toEntity(before: EscalationEntity, next: Escalation, at: Date): EscalationEntity {
  const iso = at.toISOString();
  const last = next.history[next.history.length - 1];
  return {
    ...before,
    state: next.state,
    version: next.version,
    owner: next.owner,
    keyWorker: next.keyWorker,
    pathway: next.pathway,
    rationale: next.rationale,
    externalRef: next.externalRef,
    outcome: next.outcome,
    referredBy: next.referredBy,
    referredAt: next.referredAt,
    history: JSON.stringify(next.history),
    updatedAt: iso,
    ...(next.state === 'escalated' && before.state !== 'escalated' ? { escalatedAt: iso } : {}),
    ...(last?.action === 'reject' ? { rejectedAt: iso } : {}),
    ...(next.state === 'closed' ? { closedAt: iso } : {}),
  };
}

export const actorIn = (person: Person, areaId: string): Actor => ({
  email: person.email,
  support: hasAreaRole(person, 'support', areaId),
  approver: hasAreaRole(person, 'approver', areaId),
});
