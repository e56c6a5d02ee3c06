/** Reading a home's plan for a card: the plan row, its actions, today in the area and who can be responsible. */
import type { AppContext } from '../context';
import type { DirectoryView, Home, Person } from '../domain/directory';
import { hasAreaRole, isManagerOf } from '../domain/directory';
import { localDate } from '../domain/calendar';
import type { Plan } from '../domain/plan';
import { planCard } from '../cards/plan.card';
import type { StoredAction } from '../storage/actions.table';

/** The people an action can be given to from the card: the home's managers and the area's support team. */
export function responsibleChoices(dir: DirectoryView, home: Home): Person[] {
  return dir.directory.people.filter((p) => isManagerOf(p, home.id) || hasAreaRole(p, 'support', home.area));
}

export function areaToday(ctx: AppContext, dir: DirectoryView, home: Home): string {
  return localDate(ctx.clock(), dir.areas.get(home.area)?.timezone ?? 'Europe/London');
}

/** A home by id or by name, either case. */
export function findHome(dir: DirectoryView, text: string): Home | undefined {
  const wanted = text.trim().toLowerCase();
  return dir.homes.get(wanted) ?? dir.directory.homes.find((h) => h.name.toLowerCase() === wanted);
}

export function defaultPlan(dir: DirectoryView, home: Home, today: string): Plan {
  return {
    homeId: home.id,
    areaId: home.area,
    header: {
      partnershipLead: '',
      registeredManager: dir.managersOf(home.id).map((p) => p.name).join(', '),
      serviceName: home.name,
      serviceType: home.nursing ? 'Care home with nursing' : 'Care home (residential)',
      commencementDate: today,
      reviewDate: '',
    },
    contexts: {},
    lastNo: {},
  };
}

export async function loadActions(ctx: AppContext, homeId: string): Promise<StoredAction[]> {
  return ctx.actions.list(homeId);
}

export async function renderPlan(ctx: AppContext, dir: DirectoryView, home: Home, notice?: { text: string; kind: 'error' | 'ok' }) {
  const today = areaToday(ctx, dir, home);
  const [plan, stored] = await Promise.all([ctx.plans.get(home.id), loadActions(ctx, home.id)]);
  return planCard({
    home,
    plan: plan ?? defaultPlan(dir, home, today),
    actions: stored.map((s) => s.action),
    today,
    people: responsibleChoices(dir, home),
    ...(notice ? { notice } : {}),
  });
}
