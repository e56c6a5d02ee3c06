/** The teams-ai Application: every route of the bot, registered in one place. */
import { ActivityTypes } from 'botbuilder';
import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import type { AppContext } from '../context';
import { conversationsRoute } from './routes/conversations.route';
import { helpRoute } from './routes/help.route';
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
  linkAreaRoute(app, ctx);
  planRoute(app, ctx);
  meetingRoute(app, ctx);

  // Registered last: only a message no route above took.
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity("Sorry, I didn't understand that. Type **help** to see what I can do for you.");
  });

  app.error(async (context, error) => {
    ctx.log.error({ err: error.message, activityType: context.activity.type }, 'turn failed');
  });
  return app;
}
