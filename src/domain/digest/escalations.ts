/** Digest section: escalations opened, escalated by pathway, rejected and closed in the week, and those open at its end. */
import type { EscalationRow } from './rows';
import type { DigestScope } from './scope';
import { inWeek } from './week';
import type { Digest, OpenEscalation } from './types';

const wholeDays = (fromIso: string, toIso: string) => Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000));

/** An escalation's state at an instant: the last change before it, else its current state. */
function stateAt(e: EscalationRow, until: string): string | undefined {
  if (Date.parse(e.openedAt) >= Date.parse(until)) return undefined;
  const sorted = [...e.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const before = sorted.filter((v) => Date.parse(v.at) < Date.parse(until));
  if (before.length) return before[before.length - 1].to;
  // Only later changes are known: the first one says what it moved from.
  return sorted.length ? (sorted[0].from ?? 'open') : e.state;
}

/** The area's escalations open at the end of the week, oldest first. */
export function openEscalations(s: DigestScope, escalations: EscalationRow[]): OpenEscalation[] {
  return escalations
    .filter((e) => s.isKnown(e.homeId))
    .flatMap((e) => {
      const state = stateAt(e, s.week.until);
      if (!state || state === 'closed') return [];
      return [{ id: e.id, homeId: e.homeId, homeName: s.nameOf(e.homeId), state, ...(e.owner ? { owner: e.owner } : {}), ageDays: wholeDays(e.openedAt, s.week.until) }];
    })
    .sort((a, b) => b.ageDays - a.ageDays);
}

export function escalationsSection(s: DigestScope, escalations: EscalationRow[], open: OpenEscalation[]): Digest['escalations'] {
  const mine = escalations.filter((e) => s.isKnown(e.homeId));
  const changes = mine.flatMap((e) => e.events.filter((v) => inWeek(v.at, s.week)).map((v) => ({ e, v })));
  const escalated = changes.filter(({ v }) => v.to === 'escalated');
  const byPathway = new Map<string, number>();
  for (const { e, v } of escalated) {
    const p = v.pathway ?? e.pathway ?? 'not recorded';
    byPathway.set(p, (byPathway.get(p) ?? 0) + 1);
  }
  return {
    opened: mine.filter((e) => inWeek(e.openedAt, s.week)).length,
    escalated: escalated.length,
    escalatedByPathway: [...byPathway].map(([pathway, count]) => ({ pathway, count })).sort((a, b) => a.pathway.localeCompare(b.pathway)),
    rejected: changes.filter(({ v }) => v.from === 'awaiting-approval' && v.to === 'local-support').length,
    closed: changes.filter(({ v }) => v.to === 'closed').length,
    open,
  };
}
