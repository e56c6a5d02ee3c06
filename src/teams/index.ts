/**
 * The Teams edge: adapter, application and messenger, handed to the server as one request handler.
 * Every answer to /api/messages is written here: a refused token 401, signing keys out of reach 503,
 * both with fixed bodies; an activity from another tenant never reaches a route (tenant.ts).
 */
import type restify from 'restify';
import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { messageCard } from '../cards/message.card';
import type { AppContext } from '../context';
import type { Messenger } from '../messaging';
import { createAdapter, inboundAuthOf } from './adapter';
import { createApplication } from './app';
import { MetadataUnavailableError, SigningKeys } from './auth-metadata';
import { TeamsMessenger } from './messenger';
import { refuseTenant, tenantAllowed } from './tenant';
import { refuseToken } from './token-precheck';
import { isActivityShaped, NOT_AN_ACTIVITY } from '../http/activity-shape';
import { withDeadline } from '../storage/deadline';
import { Admission } from '../http/admission';

/** A message's or an install's deadline from arrival (a card action has REQUEST_DEADLINE_MS). */
export const TURN_DEADLINE_MS = 8000;
import { REQUEST_DEADLINE_MS } from './card-actions';

export interface Bot {
  handle(req: restify.Request, res: restify.Response): Promise<void>;
  messenger: Messenger;
}

const UNAUTHORIZED = { error: 'Unauthorized' };
const UNAVAILABLE = { error: 'Authentication is unavailable for the moment; try again shortly.' };
const FAILED = { error: 'The request could not be handled.' };

/**
 * Load shedding (§8), in src/http/admission.ts: card actions start from a queue, a few a turn of the event loop (so
 * a turn stays short and new connections are accepted at once); at most MAX_CARD_ACTIONS_IN_FLIGHT run at a time on
 * this instance; one not started MAX_CARD_ACTION_WAIT_MS after it arrived is answered then with BUSY_CARD, before
 * anything is read or written, rather than run past Teams' 5 s. Far above a steady peak (20 a second answered in
 * ~50 ms keeps a few in flight and none waiting); reached only when storage or the instance cannot keep up.
 */
export const MAX_CARD_ACTIONS_IN_FLIGHT = 64;
export const MAX_CARD_ACTION_WAIT_MS = 2000;
const CARD_ACTIONS_STARTED_PER_TURN = 2;
const BUSY_CARD = {
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: messageCard('Not saved', 'Many people are answering at this moment and this could not be handled in time. Nothing was changed: please try again in a minute.'),
};

/** jsonwebtoken's refusals (bad signature, audience, expiry…) and the connector's AuthenticationError. */
const isTokenRefusal = (e: unknown): boolean =>
  e instanceof AuthenticationError || (e instanceof Error && ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(e.name));

/** The parts of an activity the adapter itself insists on (as CloudAdapter.process would check them). */
function activityOf(body: unknown): Activity | undefined {
  if (!isActivityShaped(body)) return undefined;
  const activity = body as Activity & { rawTimestamp?: string; rawLocalTimestamp?: string };
  if (typeof activity.timestamp === 'string') {
    activity.rawTimestamp = activity.timestamp;
    activity.timestamp = new Date(activity.timestamp);
  }
  if (typeof activity.localTimestamp === 'string') {
    activity.rawLocalTimestamp = activity.localTimestamp;
    activity.localTimestamp = new Date(activity.localTimestamp);
  }
  return activity;
}

export function createBot(ctx: AppContext): Bot {
  const { config, log } = ctx;
  const adapter = createAdapter(config);
  const app = createApplication(ctx, adapter);
  const inbound = inboundAuthOf(config);
  // Fetched on the first request, not here: a command-line tool builds the bot only to send.
  const keys = config.authEnabled ? new SigningKeys(inbound.metadataUrl, log) : undefined;
  let keysStarted = false;
  if (config.allowedTenants.length === 0) {
    log.info({ code: 'TENANT.ANY' }, 'ALLOWED_TENANTS is empty and authentication is off: activities from any tenant are accepted (local use only).');
  } else {
    log.info({ code: 'TENANT.ALLOWED', tenants: config.allowedTenants.length }, 'activities are accepted from the allowed tenants only');
  }

  const logic = async (context: TurnContext): Promise<void> => {
    if (!tenantAllowed(config, context.activity)) return refuseTenant(context, log);
    await app.run(context);
  };

  const answer = (res: restify.Response, status: number, body?: unknown) => {
    if (status === 401) res.header('WWW-Authenticate', 'Bearer');
    if (body === undefined) {
      res.status(status);
      res.end();
    } else {
      res.send(status, body);
    }
  };

  /** Why the token is refused (401) or cannot be checked now (503); undefined when it may go on. */
  const check = async (authorization: string | undefined): Promise<{ status: 401 | 503; reason: string } | undefined> => {
    if (!keys) return undefined;
    if (!keysStarted) keys.start();
    keysStarted = true;
    const refused = refuseToken(authorization, config.MicrosoftAppId ?? '', inbound.issuer);
    if (refused) return { status: 401, reason: refused };
    if (!(await keys.ready())) return { status: 503, reason: 'signing keys unavailable' };
    const badSignature = await keys.refuseSignature(authorization!.slice('Bearer '.length));
    return badSignature ? { status: 401, reason: badSignature } : undefined;
  };

  const admission = new Admission({ startsPerTurn: CARD_ACTIONS_STARTED_PER_TURN, maxInFlight: MAX_CARD_ACTIONS_IN_FLIGHT, maxWaitMs: MAX_CARD_ACTION_WAIT_MS });
  let shed = 0;
  let shedLoggedAt = 0;
  return {
    handle: async (req, res) => {
      const arrivedAt = Date.now();
      const authorization = req.header('authorization') || undefined;
      const refused = await check(authorization);
      if (refused) {
        log.info({ code: refused.status === 401 ? 'AUTH.REFUSED' : 'AUTH.UNAVAILABLE', reason: refused.reason }, 'request refused before the adapter');
        return answer(res, refused.status, refused.status === 401 ? UNAUTHORIZED : UNAVAILABLE);
      }
      const activity = activityOf(req.body);
      if (!activity) return answer(res, 400, NOT_AN_ACTIVITY);
      const cardAction = activity.type === 'invoke' && activity.name === 'adaptiveCard/action';
      if (cardAction && !(await admission.enter(arrivedAt))) {
        shed++;
        if (Date.now() - shedLoggedAt > 1000) {
          // once a second at most: the log must not add to the overload
          log.warn({ code: 'CARD.SHED', inFlight: admission.inFlight, shed }, 'card actions answered without being started: too many waiting');
          shedLoggedAt = Date.now();
          shed = 0;
        }
        return answer(res, 200, BUSY_CARD);
      }
      try {
        // An invoke (a card action) is answered within Teams' 5 s: one deadline from arrival for all it does. Any other
        // activity (a message, an install) has one too, longer, inside the 15 s the Bot Connector waits for a message.
        const run = () => adapter.run(authorization ?? '', activity, logic);
        const invoke = await withDeadline(activity.type === 'invoke' ? REQUEST_DEADLINE_MS : TURN_DEADLINE_MS, run, arrivedAt);
        answer(res, invoke?.status ?? 200, invoke?.body);
      } catch (e) {
        if (e instanceof MetadataUnavailableError) {
          log.warn({ code: 'AUTH.UNAVAILABLE' }, 'signing keys unavailable');
          return answer(res, 503, UNAVAILABLE);
        }
        if (isTokenRefusal(e)) {
          log.info({ code: 'AUTH.REFUSED', reason: (e as Error).message.slice(0, 80) }, 'token refused by the adapter');
          return answer(res, 401, UNAUTHORIZED);
        }
        log.error({ code: 'TURN.FAILED', err: (e as Error).message, activityType: activity.type }, 'activity not handled');
        answer(res, 500, FAILED);
      } finally {
        if (cardAction) admission.leave();
      }
    },
    messenger: new TeamsMessenger(adapter, config.MicrosoftAppId ?? ''),
  };
}
