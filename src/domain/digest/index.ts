/**
 * The weekly digest of one area (§6): computed from plain rows of huddle answers, escalations and
 * plan actions, for the Monday-to-Sunday week and the week before. Pure: no storage, no clock.
 * One file a section; this one puts them together.
 */
import { actionsSection, actionViews } from './actions';
import { beds } from './beds';
import { areaCompletion, homesMissing2 } from './completion';
import { escalationsSection, openEscalations } from './escalations';
import { harmOf } from './harm';
import { homeDigests } from './homes';
import { notifiableByHome, notificationsSection } from './notifications';
import { outbreaks } from './outbreaks';
import { homesRed, ragByDay, reds } from './rag-by-day';
import type { DigestInput } from './rows';
import { scopeOf } from './scope';
import { staffing } from './staffing';
import type { Digest } from './types';

export type { Rag } from '../rag';
export { FEWER_THAN_3, suppressSmall } from './harm';
export type { ActionRow, DigestAreaInput, DigestHomeInput, DigestInput, EscalationEvent, EscalationRow, HuddleRow, NotificationRow, OutbreakStatus } from './rows';
export type { DayMark, Digest, Harm, HomeDigest, NotifiableHome, OpenEscalation, SmallCount } from './types';

export function computeDigest(input: DigestInput): Digest {
  const { area, homes } = input;
  const s = scopeOf(input);
  const actions = actionViews(s, input.actions);
  const open = openEscalations(s, input.escalations);
  const notifiable = notifiableByHome(s, homes, input.notifications ?? []);
  const perHome = homeDigests(s, homes, actions, open, notifiable);
  return {
    area: { id: area.id, name: area.name },
    week: s.week,
    previous: s.previous,
    completion: areaCompletion(s, homes.length),
    homesMissing2: homesMissing2(perHome),
    ragByDay: ragByDay(s, perHome),
    homesRed: homesRed(perHome),
    reds: reds(s),
    escalations: escalationsSection(s, input.escalations, open),
    outbreaks: outbreaks(s, homes, perHome),
    staffing: staffing(s, perHome),
    beds: beds(homes, perHome),
    harm: harmOf(s.thisWeek),
    previousHarm: harmOf(s.lastWeek),
    notifications: notificationsSection(homes, notifiable),
    actions: actionsSection(s, actions),
    homes: perHome,
  };
}
