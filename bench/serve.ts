/** A bench server in its own process: the real app (argv[2] = "app") or a bare teams-ai baseline ("baseline"). Prints its URL. */
import restify from 'restify';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { startHost } from '../src/host';

async function baseline(): Promise<string> {
  const adapter = new TeamsAdapter({});
  const app = new Application({ adapter, botAppId: '', removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const card = { type: 'AdaptiveCard' as const, $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [{ type: 'TextBlock', text: 'Saved', wrap: true }] };
  app.adaptiveCards.actionExecute('huddle.submit', async () => card);
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => adapter.process(req, res, (ctx) => app.run(ctx).then(() => undefined)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}`;
}

async function main(): Promise<void> {
  const url = process.argv[2] === 'baseline' ? await baseline() : (await startHost({ port: 0 })).url;
  process.stdout.write(`URL ${url}\n`);
}

void main();
