/** The escalation card (cards/escalation.json): the same facts for everyone, the buttons a viewer may use. */
import { DateTime } from 'luxon';
import { bindCard } from '../cards/template';
import type { Area, DirectoryView } from '../domain/directory';
import { allowedVerbs, PATHWAY_NAMES, STATE_NAMES, type Actor, type Escalation } from '../domain/escalation';
import type { EscalationEntity } from '../storage/escalations.table';

/** Teams refreshes a card automatically for at most 60 users. */
const MAX_REFRESH_USERS = 60;

const STATE_COLOR = { open: 'Attention', 'local-support': 'Warning', 'awaiting-approval': 'Warning', escalated: 'Attention', closed: 'Good' } as const;

export interface CardView {
  /** who the card is for; undefined = the channel post, which shows the support team's buttons */
  viewer?: Actor;
  message?: string;
  tone?: 'good' | 'attention';
  /** Teams user ids (29:…) of the area's support team and approvers */
  refreshUserIds: string[];
}

export function escalationCard(row: EscalationEntity, e: Escalation, dir: DirectoryView, area: Area, view: CardView): object {
  const home = dir.homes.get(e.homeId);
  const nameOf = (email?: string) => (email ? (dir.personByEmail(email)?.name ?? email) : '');
  const when = (iso: string) => DateTime.fromISO(iso).setZone(area.timezone).toFormat('d LLL HH:mm');
  const viewer = view.viewer ?? { email: '', support: true, approver: true };
  const verbs = new Set(allowedVerbs(e, viewer));
  const reasons: string[] = row.reasons ? (JSON.parse(row.reasons) as string[]) : [];
  const trigger = row.trigger === 'huddle' ? `Red huddle${row.daysRed > 1 ? `: still red today (day ${row.daysRed})` : ''}` : `Raised by ${nameOf(row.openedBy)}`;
  const supportPeople = dir.peopleWithRole('support', area.id).map((p) => ({ name: p.name, email: p.email }));
  return bindCard('escalation', {
    escalationId: e.id,
    version: e.version,
    homeName: home?.name ?? e.homeId,
    stateName: STATE_NAMES[e.state],
    stateColor: STATE_COLOR[e.state],
    message: view.message ?? '',
    messageColor: view.tone === 'good' ? 'Good' : 'Attention',
    protection: reasons.some((r) => /adult-protection/i.test(r)) && !e.referredAt && e.state !== 'closed',
    openedLabel: `${when(row.openedAt)} for the huddle of ${row.openedFor}`,
    triggerLabel: trigger,
    ownerLabel: e.owner ? nameOf(e.owner) : 'Not assigned',
    pathwayLabel: e.pathway ? `${PATHWAY_NAMES[e.pathway]}${e.referredAt ? ` (referred by ${nameOf(e.referredBy)} at ${when(e.referredAt)})` : ''}${e.externalRef ? `, reference ${e.externalRef}` : ''}` : 'None',
    reasons,
    concern: viewer.support || viewer.approver ? (row.concern ?? '') : '',
    history: e.history.slice(-6).map((h) => ({ line: `${when(h.at)} ${nameOf(h.by)}: ${h.action} (${STATE_NAMES[h.from]} → ${STATE_NAMES[h.to]})${h.note ? `: ${h.note}` : ''}` })),
    readOnly: verbs.size === 0,
    canAssign: verbs.has('assign'),
    canLocal: verbs.has('local'),
    canRequest: verbs.has('request'),
    canDecide: verbs.has('approve'),
    canClose: verbs.has('close'),
    supportPeople,
    refreshUserIds: view.refreshUserIds.slice(0, MAX_REFRESH_USERS),
  });
}
