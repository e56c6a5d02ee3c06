/** Digest section: beds available and closed by reason, and occupancy, as at each home's last answer of the week. */
import type { DigestHomeInput, HuddleRow } from './rows';
import type { Digest, HomeDigest } from './types';

export function homeLatest(mine: HuddleRow[]): Pick<HomeDigest, 'latest'> {
  const last = mine[mine.length - 1];
  if (!last) return {};
  return {
    latest: {
      date: last.date,
      bedsAvailable: last.bedsAvailable ?? 0,
      bedsClosed: last.bedsClosed ?? 0,
      ...(last.bedsClosed && last.bedsClosedReason ? { bedsClosedReason: last.bedsClosedReason } : {}),
      residents: last.residents ?? 0,
      outbreakStatus: last.outbreakStatus ?? 'none',
    },
  };
}

export function beds(homes: DigestHomeInput[], digests: HomeDigest[]): Digest['beds'] {
  const latest = digests.flatMap((h) => (h.latest ? [{ homeId: h.homeId, ...h.latest }] : []));
  const closedByReason = new Map<string, number>();
  for (const l of latest) if (l.bedsClosed > 0) closedByReason.set(l.bedsClosedReason ?? 'other', (closedByReason.get(l.bedsClosedReason ?? 'other') ?? 0) + l.bedsClosed);
  const placesOf = new Map(homes.map((h) => [h.id, h.registeredPlaces]));
  const places = latest.reduce((n, l) => n + (placesOf.get(l.homeId) ?? 0), 0);
  const residents = latest.reduce((n, l) => n + l.residents, 0);
  return {
    available: latest.reduce((n, l) => n + l.bedsAvailable, 0),
    closed: latest.reduce((n, l) => n + l.bedsClosed, 0),
    closedByReason: [...closedByReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => a.reason.localeCompare(b.reason)),
    residents,
    places,
    ...(places > 0 ? { occupancy: residents / places } : {}),
  };
}
