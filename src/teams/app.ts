/** The teams-ai Application: the conversation and meeting events, the text commands and the card verbs. */
import { ActivityTypes } from 'botbuilder';
import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { unknownActionCard } from '../cards/message.card';
import type { AppContext } from '../context';
import { registerCardActions } from './card-actions';
import { registerCommands } from './commands';
import { conversationEvents } from './conversation-events';
import { registerFileConsent } from './file-consent';
import { meetingEvents } from './meeting-events';
import { isDeadline, outsideDeadline } from '../storage/deadline';

export const TURN_LATE = 'Sorry, I could not finish that in time: storage is slow just now. Please try again in a minute.';
export const TURN_FAILED = 'Sorry, something went wrong on my side and I could not finish that. Please try again in a minute.';

export function createApplication(ctx: AppContext, adapter: TeamsAdapter): Application {
  const app = new Application({
    adapter,
    botAppId: ctx.config.MicrosoftAppId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  conversationEvents(app, ctx);
  registerCommands(app, ctx);
  registerCardActions(app, ctx);
  registerFileConsent(app, ctx);
  meetingEvents(app, ctx);

  // Registered last: only a message no command above took.
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity("Sorry, I didn't understand that. Type **help** to see what I can do for you.");
  });

  // An invoke no verb took (an unknown verb, a malformed card action): a clear card, never a 501.
  app.activity(ActivityTypes.Invoke, async (context) => {
    ctx.log.info({ invoke: String(context.activity.name ?? '').slice(0, 60), code: 'CARD.UNKNOWN_ACTION' }, 'unhandled invoke');
    const body = context.activity.name === 'adaptiveCard/action' ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: unknownActionCard() } : {};
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  });

  // A message whose turn failed gets a true answer rather than silence: nothing it could not finish is claimed done.
  app.error(async (context, error) => {
    const late = isDeadline(error);
    ctx.log.error({ code: late ? 'TURN.DEADLINE' : 'TURN.FAILED', err: error.message.slice(0, 120), activityType: context.activity.type }, 'turn failed');
    if (context.activity.type !== ActivityTypes.Message) return;
    await outsideDeadline(() => context.sendActivity(late ? TURN_LATE : TURN_FAILED)).catch((e: Error) =>
      ctx.log.warn({ code: 'TURN.NOT_TOLD', err: e.message.slice(0, 120) }, 'could not say the turn failed'),
    );
  });
  return app;
}
