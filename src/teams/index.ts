/** The Teams edge: adapter, application and messenger, handed to the server as one request handler. */
import type restify from 'restify';
import type { AppContext } from '../context';
import type { Messenger } from '../messaging';
import { createAdapter } from './adapter';
import { createApplication } from './app';
import { TeamsMessenger } from './messenger';

export interface Bot {
  handle(req: restify.Request, res: restify.Response): Promise<void>;
  messenger: Messenger;
}

export function createBot(ctx: AppContext): Bot {
  const adapter = createAdapter(ctx.config);
  const app = createApplication(ctx, adapter);
  return {
    handle: (req, res) => adapter.process(req, res, (context) => app.run(context).then(() => undefined)),
    messenger: new TeamsMessenger(adapter, ctx.config.MicrosoftAppId ?? ''),
  };
}
