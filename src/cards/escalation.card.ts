/**
 * The escalation card (cards/escalation.json). The base card (the channel post, and anyone outside the area's support
 * team and approvers) carries no free text and a "Show details" button; the full card adds the concern, notes,
 * key worker, rationale, outcome and the viewer's buttons (§4).
 */
import { shortDateLabel, whenLabel } from '../domain/calendar';
import type { Area, DirectoryView } from '../domain/directory';
import { allowedVerbs, historySentence, orList, PATHWAY_NAMES, STATE_ICONS, STATE_NAMES, whoCanDecide, type Actor, type EscalationFile } from '../domain/escalation';
import { bindCard } from './template';

/** Teams refreshes a card automatically for at most 60 users. */
const MAX_REFRESH_USERS = 60;

/** The badge's container style, always with the state's name and icon in it (never the text colour). */
const STATE_STYLE = { open: 'attention', 'local-support': 'warning', 'awaiting-approval': 'warning', escalated: 'attention', closed: 'emphasis' } as const;
/** How many history lines the card shows, newest last. */
const HISTORY_SHOWN = 6;

export interface CardView {
  /**
   * who the card is for. Undefined, or someone who is neither support nor approver of the area: the base card
   * (what every member of the channel sees: no free text, a "Show details" button).
   */
  viewer?: Actor;
  message?: string;
  tone?: 'good' | 'attention';
  /** Teams user ids (29:…) of the area's support team and approvers */
  refreshUserIds: string[];
}

/** Whether a viewer sees the full card (free text, notes, buttons): the area's support team and approvers only (§4). */
export const seesDetails = (viewer: Actor | undefined): viewer is Actor => !!viewer && (viewer.support || viewer.approver);

export function escalationCard(e: EscalationFile, dir: DirectoryView, area: Area, view: CardView): Record<string, unknown> {
  const home = dir.homes.get(e.homeId);
  const nameOf = (email?: string) => dir.displayName(email);
  const when = (iso: string) => whenLabel(iso, area.timezone);
  const full = seesDetails(view.viewer);
  const viewer: Actor = full ? view.viewer! : { email: '', support: false, approver: false };
  const verbs = new Set(full ? allowedVerbs(e, viewer) : []);
  const reasons = e.reasons;
  const trigger = e.trigger === 'huddle' ? `Red huddle${e.daysRed > 1 ? `: still red today (day ${e.daysRed})` : ''}` : `Raised by ${nameOf(e.openedBy)}`;
  const supportPeople = dir.peopleWithRole('support', area.id).map((p) => ({ name: p.name, email: p.email }));
  const approvers = dir.peopleWithRole('approver', area.id);
  const closed = e.state === 'closed';
  const referral = e.referredAt ? ` (referred by ${nameOf(e.referredBy)}, ${when(e.referredAt)})` : '';
  // A reference is typed text: in the support team's view only.
  const ref = full && e.externalRef ? `, reference ${e.externalRef}` : '';
  const pathway = e.pathway ? `${PATHWAY_NAMES[e.pathway]}${e.state === 'awaiting-approval' ? ', waiting for an approver' : ''}${referral}${ref}` : 'None';
  const facts: [string, string][] = [
    ['Home', home?.name ?? e.homeId],
    ['Opened', `${when(e.openedAt)}, for the huddle of ${shortDateLabel(e.openedFor)}`],
    ['Trigger', trigger],
    ['Owner', e.owner ? nameOf(e.owner) : 'Not assigned yet'],
    // The key worker is typed free text: in the support team's view only, as the concern is.
    ...(full ? [['Key worker', e.keyWorker || 'None named yet'] as [string, string]] : []),
    // A closed escalation's outcome is what it is now (typed text: support view only); a pathway it was on is in its history.
    ...(closed ? [['Outcome', full ? (e.outcome ?? 'Closed') : 'Closed'] as [string, string]] : [['Pathway', pathway] as [string, string]]),
  ];
  // The base card's history says who did what, never the notes typed with it (an owner is a person, not a note).
  const shownHistory = full ? e.history : e.history.map((h) => (h.action === 'assign' ? h : { ...h, note: undefined }));
  const history = shownHistory.slice(-HISTORY_SHOWN).map((h) => ({ line: `${when(h.at)}: ${historySentence(h, nameOf)}` }));
  const hidden = e.history.length - history.length;
  const protectionDue = (!!e.referralRequiredAt || reasons.some((r) => /adult-protection/i.test(r))) && !e.referredAt && !closed;
  const raised = e.referralRequiredAt ? ` (raised by ${nameOf(e.referralRequiredBy)}, ${when(e.referralRequiredAt)})` : '';
  const protectionText = protectionDue
    ? `Adult-protection concern${raised}: referral required now. It must not wait for approval.${full && verbs.has('refer') ? ' Make the referral, then record it here with "Record referral" and its reference.' : ''}`
    : '';
  // Four eyes: who may decide a request (never the approver who asked).
  const deciders = whoCanDecide(e, approvers);
  const decideNote = full && e.state === 'awaiting-approval'
    ? e.requestedBy
      ? deciders.length
        ? `${nameOf(e.requestedBy)} asked for this approval and cannot decide it: ${orList(deciders)} can.`
        : `${nameOf(e.requestedBy)} asked for this approval and is the area's only approver: nobody here can decide it until an administrator adds a second approver. The administrators have been told.`
      : `${orList(approvers.map((a) => a.name))} can decide it.`
    : '';
  const singleApprover = full && !closed && approvers.length < 2
    ? approvers.length === 1
      ? `${area.name} has a single approver (${approvers[0].name}): a request they make cannot be decided by another approver. Ask an administrator to add a second approver.`
      : `${area.name} has no approver: a request cannot be decided. Ask an administrator to add approvers.`
    : '';
  return bindCard('escalation', {
    escalationId: e.id,
    version: e.version,
    homeName: home?.name ?? e.homeId,
    stateName: STATE_NAMES[e.state],
    stateIcon: STATE_ICONS[e.state],
    stateStyle: STATE_STYLE[e.state],
    message: view.message ?? '',
    messageColor: view.tone === 'attention' ? 'Attention' : 'Default',
    protection: protectionDue,
    protectionText,
    decideNote,
    singleApprover,
    facts: facts.map(([title, value]) => ({ title, value })),
    reasons,
    concern: full ? (e.concern ?? '') : '',
    history,
    historyNote: hidden > 0 ? `${hidden} earlier ${hidden === 1 ? 'change is' : 'changes are'} in the audit log.` : '',
    readOnly: full && verbs.size === 0,
    readOnlyNote: closed ? 'This escalation is closed: nothing more can be done on it here.' : 'You can see this escalation but not change it.',
    showDetails: !full,
    canAssign: verbs.has('assign'),
    canLocal: verbs.has('local'),
    canRequest: verbs.has('request'),
    canRefer: verbs.has('refer') && protectionDue,
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
  /** undefined: someone who is not of the area's support team or approvers (the base card) */
  viewer?: Actor;
}

/**
 * The card for the person who acted, without `refresh`: teams-ai would otherwise replace the channel
 * message with this person's view for everyone. The channel message is updated through delivery instead.
 */
export function escalationViewerCard(v: EscalationCardView, message?: string, tone?: 'good' | 'attention'): Record<string, unknown> {
  const { refresh: _refresh, ...forViewer } = escalationCard(v.file, v.dir, v.area, { viewer: v.viewer, message, tone, refreshUserIds: [] });
  return forViewer;
}
