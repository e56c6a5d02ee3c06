/** `help`: what each person can do, from their roles; a polite answer to someone not in the directory. */
import type { Application } from '@microsoft/teams-ai';
import type { AppContext } from '../../context';
import { helpFor, notInDirectory } from '../../domain/help';
import { whoIs } from '../turn';

export function helpRoute(app: Application, ctx: AppContext): void {
  app.message(/^\s*help\s*$/i, async (context) => {
    const person = await whoIs(context, ctx);
    const dir = await ctx.directory.view();
    await context.sendActivity(person ? helpFor(person, dir).join('\n\n') : notInDirectory(dir, ctx.config.HELP_CONTACT));
  });
}
