/** The teams-ai Application: every route of the bot, registered in one place. */
import { ActivityTypes } from 'botbuilder';
import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import type { AppContext } from '../context';
import { conversationsRoute } from './routes/conversations.route';
import { escalationRoute } from './routes/escalation.route';
import { helpRoute } from './routes/help.route';
import { huddleRoute } from './routes/huddle.route';
import { linkAreaRoute } from './routes/link-area.route';
import { meetingRoute } from './routes/meeting.route';
import { planRoute } from './routes/plan.route';

export function createApplication(ctx: AppContext, adapter: TeamsAdapter): Application {
  const app = new Application({
    adapter,
    botAppId: ctx.config.MicrosoftAppId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  conversationsRoute(app, ctx);
  helpRoute(app, ctx);
  huddleRoute(app, ctx);
  escalationRoute(app, ctx);
  linkAreaRoute(app, ctx);
  planRoute(app, ctx);
  meetingRoute(app, ctx);

  // Registered last: only a message no route above took.
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity("Sorry, I didn't understand that. Type **help** to see what I can do for you.");
  });

  // An invoke no route took (an unknown verb, a malformed card action): a clear card, never a 501.
  app.activity(ActivityTypes.Invoke, async (context) => {
    ctx.log.info({ invoke: String(context.activity.name ?? '').slice(0, 60), code: 'CARD.UNKNOWN_ACTION' }, 'unhandled invoke');
    const card = {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [{ type: 'TextBlock', text: "Sorry, I can't do that from this card. Nothing was changed. Type **help** to see what I can do.", wrap: true }],
    };
    const body = context.activity.name === 'adaptiveCard/action' ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } : {};
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  });

  app.error(async (context, error) => {
    ctx.log.error({ err: error.message, activityType: context.activity.type }, 'turn failed');
  });
  return app;
}
