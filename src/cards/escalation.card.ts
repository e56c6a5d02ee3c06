/** The escalation card (cards/escalation.json): the same facts for everyone, the buttons a viewer may use. */
import { shortDateLabel, whenLabel } from '../domain/calendar';
import type { Area, DirectoryView } from '../domain/directory';
import { allowedVerbs, historySentence, PATHWAY_NAMES, STATE_ICONS, STATE_NAMES, type Actor, type EscalationFile } from '../domain/escalation';
import { bindCard } from './template';

/** Teams refreshes a card automatically for at most 60 users. */
const MAX_REFRESH_USERS = 60;

/** The badge's container style, always with the state's name and icon in it (never the text colour). */
const STATE_STYLE = { open: 'attention', 'local-support': 'warning', 'awaiting-approval': 'warning', escalated: 'attention', closed: 'emphasis' } as const;
/** How many history lines the card shows, newest last. */
const HISTORY_SHOWN = 6;

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
  const nameOf = (email?: string) => dir.displayName(email);
  const when = (iso: string) => whenLabel(iso, area.timezone);
  const viewer = view.viewer ?? { email: '', support: true, approver: true };
  const verbs = new Set(allowedVerbs(e, viewer));
  const reasons = e.reasons;
  const trigger = e.trigger === 'huddle' ? `Red huddle${e.daysRed > 1 ? `: still red today (day ${e.daysRed})` : ''}` : `Raised by ${nameOf(e.openedBy)}`;
  const supportPeople = dir.peopleWithRole('support', area.id).map((p) => ({ name: p.name, email: p.email }));
  const closed = e.state === 'closed';
  const referral = e.referredAt ? ` (referred by ${nameOf(e.referredBy)}, ${when(e.referredAt)})` : '';
  const pathway = e.pathway ? `${PATHWAY_NAMES[e.pathway]}${e.state === 'awaiting-approval' ? ', waiting for an approver' : ''}${referral}${e.externalRef ? `, reference ${e.externalRef}` : ''}` : 'None';
  const facts: [string, string][] = [
    ['Home', home?.name ?? e.homeId],
    ['Opened', `${when(e.openedAt)}, for the huddle of ${shortDateLabel(e.openedFor)}`],
    ['Trigger', trigger],
    ['Owner', e.owner ? nameOf(e.owner) : 'Not assigned yet'],
    // The key worker is typed free text: in the support team's view only, as the concern is.
    ...(viewer.support || viewer.approver ? [['Key worker', e.keyWorker || 'None named yet'] as [string, string]] : []),
    // A closed escalation's outcome is what it is now; a pathway it was on is in its history.
    ...(closed ? [['Outcome', e.outcome ?? 'Closed'] as [string, string]] : [['Pathway', pathway] as [string, string]]),
  ];
  const history = e.history.slice(-HISTORY_SHOWN).map((h) => ({ line: `${when(h.at)}: ${historySentence(h, nameOf)}` }));
  const hidden = e.history.length - history.length;
  return bindCard('escalation', {
    escalationId: e.id,
    version: e.version,
    homeName: home?.name ?? e.homeId,
    stateName: STATE_NAMES[e.state],
    stateIcon: STATE_ICONS[e.state],
    stateStyle: STATE_STYLE[e.state],
    message: view.message ?? '',
    messageColor: view.tone === 'attention' ? 'Attention' : 'Default',
    protection: reasons.some((r) => /adult-protection/i.test(r)) && !e.referredAt && !closed,
    facts: facts.map(([title, value]) => ({ title, value })),
    reasons,
    concern: viewer.support || viewer.approver ? (e.concern ?? '') : '',
    history,
    historyNote: hidden > 0 ? `${hidden} earlier ${hidden === 1 ? 'change is' : 'changes are'} in the audit log.` : '',
    readOnly: verbs.size === 0,
    readOnlyNote: closed ? 'This escalation is closed: nothing more can be done on it here.' : 'You can see this escalation but not change it.',
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
