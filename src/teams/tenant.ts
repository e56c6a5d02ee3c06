/**
 * Tenant isolation (§2): the app serves one organisation's tenant (or a short list). An activity from
 * any other tenant is refused here, before any route looks anything up or writes anything.
 */
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../log';

/** Every tenant id the activity names (Teams sends it in two places; both must be allowed). */
export function tenantsOf(activity: Partial<Activity>): string[] {
  const ids = [activity.conversation?.tenantId, (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id];
  return ids.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim().toLowerCase());
}

/** An empty list allows any tenant (authentication off and nothing configured: local use only). */
export function tenantAllowed(config: Pick<Config, 'allowedTenants'>, activity: Partial<Activity>): boolean {
  if (config.allowedTenants.length === 0) return true;
  const named = tenantsOf(activity);
  return named.length > 0 && named.every((t) => config.allowedTenants.includes(t));
}

/** A member of a shared channel from another organisation is nobody in our directory. */
export function memberTenantAllowed(config: Pick<Config, 'allowedTenants'>, memberTenantId: string | undefined): boolean {
  if (config.allowedTenants.length === 0 || !memberTenantId) return true;
  return config.allowedTenants.includes(memberTenantId.trim().toLowerCase());
}

const refusalCard = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: "Care Home Huddle can't be used from this organisation. Nothing was changed.", wrap: true }],
};

/** Answers a refused activity: an invoke gets a card saying so (never an error status), a message nothing. */
export async function refuseTenant(context: TurnContext, log: Logger): Promise<void> {
  const activity = context.activity;
  log.info({ code: 'TENANT.REFUSED', activityType: activity.type, invoke: activity.type === ActivityTypes.Invoke ? String(activity.name ?? '').slice(0, 60) : undefined }, 'activity from another tenant refused');
  if (activity.type !== ActivityTypes.Invoke) return;
  const body = activity.name === 'adaptiveCard/action' ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: refusalCard } : {};
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
