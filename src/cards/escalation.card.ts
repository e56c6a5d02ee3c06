/** The escalation card (cards/escalation.json): the same facts for everyone, the buttons a viewer may use. */
import { DateTime } from 'luxon';
import type { Area, DirectoryView } from '../domain/directory';
import { allowedVerbs, PATHWAY_NAMES, STATE_NAMES, type Actor, type EscalationFile } from '../domain/escalation';
import { bindCard } from './template';

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

export function escalationCard(e: EscalationFile, dir: DirectoryView, area: Area, view: CardView): Record<string, unknown> {
  const home = dir.homes.get(e.homeId);
  const nameOf = (email?: string) => (email ? (dir.personByEmail(email)?.name ?? email) : '');
  const when = (iso: string) => DateTime.fromISO(iso).setZone(area.timezone).toFormat('d LLL HH:mm');
  const viewer = view.viewer ?? { email: '', support: true, approver: true };
  const verbs = new Set(allowedVerbs(e, viewer));
  const reasons = e.reasons;
  const trigger = e.trigger === 'huddle' ? `Red huddle${e.daysRed > 1 ? `: still red today (day ${e.daysRed})` : ''}` : `Raised by ${nameOf(e.openedBy)}`;
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
    openedLabel: `${when(e.openedAt)} for the huddle of ${e.openedFor}`,
    triggerLabel: trigger,
    ownerLabel: e.owner ? nameOf(e.owner) : 'Not assigned',
    pathwayLabel: e.pathway ? `${PATHWAY_NAMES[e.pathway]}${e.referredAt ? ` (referred by ${nameOf(e.referredBy)} at ${when(e.referredAt)})` : ''}${e.externalRef ? `, reference ${e.externalRef}` : ''}` : 'None',
    reasons,
    concern: viewer.support || viewer.approver ? (e.concern ?? '') : '',
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

/** An escalation as one person sees it after a refresh or an action. */
export interface EscalationCardView {
  file: EscalationFile;
  dir: DirectoryView;
  area: Area;
  viewer: Actor;
}

/**
 * The card for the person who acted, without `refresh`: teams-ai would otherwise replace the channel
 * message with this person's view for everyone. The channel message is updated through delivery instead.
 */
export function escalationViewerCard(v: EscalationCardView, message?: string, tone?: 'good' | 'attention'): Record<string, unknown> {
  const { refresh: _refresh, ...forViewer } = escalationCard(v.file, v.dir, v.area, { viewer: v.viewer, message, tone, refreshUserIds: [] });
  return forViewer;
}
