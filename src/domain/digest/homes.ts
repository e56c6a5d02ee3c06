/** One summary a home: each section's figures for that home, in the order the card shows them. */
import { homeActions, type ActionView } from './actions';
import { homeLatest } from './beds';
import { homeCompletion } from './completion';
import { homeHarm } from './harm';
import { homeNotifications, type NotifiableRecord } from './notifications';
import { homeRag } from './rag-by-day';
import { byHome, type DigestScope } from './scope';
import type { DigestHomeInput } from './rows';
import { homeStaffing } from './staffing';
import type { HomeDigest, OpenEscalation } from './types';

export function homeDigests(s: DigestScope, homes: DigestHomeInput[], actions: ActionView[], open: OpenEscalation[], notifiable: Map<string, NotifiableRecord[]> = new Map()): HomeDigest[] {
  const actionsOf = byHome(actions.map((a) => ({ homeId: a.row.homeId, a })));
  const openOf = new Map(open.map((e) => [e.homeId, e]));
  return homes.map((h) => {
    const mine = s.thisOf(h.id);
    const openEscalation = openOf.get(h.id);
    return {
      homeId: h.id,
      name: h.name,
      ...homeCompletion(s, h.id),
      ...homeRag(s, h.id),
      harm: homeHarm(mine),
      ...homeStaffing(mine),
      ...homeLatest(mine),
      ...(openEscalation ? { openEscalation } : {}),
      actions: homeActions((actionsOf.get(h.id) ?? []).map((x) => x.a)),
      notifications: homeNotifications(notifiable.get(h.id) ?? []),
    };
  });
}
