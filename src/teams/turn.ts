/** Reading a Teams activity: its conversation reference, its kind of conversation, and who sent it. */
import { TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import type { AppContext } from '../context';
import type { Person } from '../domain/directory';
import type { ConversationKind, ConversationRef } from '../messaging';

export function referenceOf(activity: Partial<Activity>): ConversationRef {
  const ref = TurnContext.getConversationReference(activity);
  return JSON.parse(JSON.stringify(ref)) as ConversationRef;
}

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'chat';
  return 'user';
}

export function teamIdOf(activity: Partial<Activity>): string | undefined {
  return (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
}

const PERSON = Symbol('person');

/**
 * The directory person behind an activity: by Entra object id, else by e-mail from the Teams roster
 * (then remembered, so the roster is asked once per person).
 */
export async function whoIs(context: TurnContext, ctx: AppContext): Promise<Person | undefined> {
  if (context.turnState.has(PERSON)) return context.turnState.get(PERSON);
  const dir = await ctx.directory.view();
  const from = context.activity.from;
  let person = dir.personByObjectId(from?.aadObjectId);
  if (!person && from?.id) {
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      person = dir.personByEmail(member.email) ?? dir.personByEmail(member.userPrincipalName);
      if (person && from.aadObjectId) {
        await ctx.directory.learnObjectId(person.email, from.aadObjectId);
        person = { ...person, aadObjectId: from.aadObjectId };
      }
    } catch (e) {
      ctx.log.warn({ err: (e as Error).message }, 'roster look-up failed');
    }
  }
  context.turnState.set(PERSON, person);
  return person;
}
