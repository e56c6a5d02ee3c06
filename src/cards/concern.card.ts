/** The "raise a concern" form (cards/raise-concern.json), with what was typed and its problem kept. */
import type { Home } from '../domain/directory';
import { bindCard } from './template';

export interface ConcernFormView {
  homes: Pick<Home, 'id' | 'name'>[];
  homeId?: string;
  concern?: string;
  protection?: boolean;
  concernError?: string;
  message?: string;
}

export function concernFormCard(v: ConcernFormView): Record<string, unknown> {
  const homes = v.homes.map((h) => ({ id: h.id, name: h.name }));
  return bindCard('raise-concern', {
    homes,
    homeId: v.homeId ?? homes[0]?.id ?? '',
    concern: v.concern ?? '',
    protection: v.protection ? 'true' : 'false',
    concernError: v.concernError ?? '',
    message: v.message ?? '',
  });
}
