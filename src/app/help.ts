/** `help` and the welcome: what each person can do, from their roles; a polite answer to someone not in the directory. */
import type { AppContext } from '../context';
import { helpFor, notInDirectory } from '../domain/help';
import type { Asker } from './outcome';

export function helpText(ctx: AppContext, { person, dir }: Asker): string {
  return person ? helpFor(person, dir).join('\n\n') : notInDirectory(dir, ctx.config.HELP_CONTACT);
}

export const CHANNEL_WELCOME =
  'Thank you for adding Care Home Huddle. A support lead can bind this channel to an area with **link area** followed by the area id (for example "link area pkc").';
