/** The Teams edge: adapter, application and messenger, handed to the server as one request handler. */
import type restify from 'restify';
import type { AppContext } from '../context';
import type { Messenger } from '../messaging';
import { createAdapter } from './adapter';
import { createApplication } from './app';
import { TeamsMessenger } from './messenger';
import { refuseToken } from './token-precheck';

export interface Bot {
  handle(req: restify.Request, res: restify.Response): Promise<void>;
  messenger: Messenger;
}

export function createBot(ctx: AppContext): Bot {
  const adapter = createAdapter(ctx.config);
  const app = createApplication(ctx, adapter);
  return {
    handle: async (req, res) => {
      const appId = ctx.config.MicrosoftAppId;
      const refused = appId ? refuseToken(req.header('authorization'), appId) : undefined;
      if (refused) {
        ctx.log.info({ code: 'AUTH.REFUSED', reason: refused }, 'request refused before the adapter');
        res.header('WWW-Authenticate', 'Bearer');
        return void res.send(401, { error: 'Unauthorized' });
      }
      await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
    },
    messenger: new TeamsMessenger(adapter, ctx.config.MicrosoftAppId ?? ''),
  };
}
