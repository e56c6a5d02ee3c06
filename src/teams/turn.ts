/** Reading a Teams activity: its conversation reference, its kind of conversation, and who sent it. */
import { TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import { memberTenantAllowed } from './tenant';
import type { AppContext } from '../context';
import type { Person } from '../domain/directory';
import type { ConversationKind, ConversationRef } from '../messaging';
import { isDeadline, untilDeadline } from '../storage/deadline';

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
 * The directory person behind an activity, by Entra object id. The Teams roster's e-mail/UPN is used
 * only for a directory person whose object id is not known yet (that id is then remembered, so the
 * roster is asked once per person). Another object id with a known person's e-mail (a second account,
 * a guest, a member of a shared channel from another organisation) is nobody.
 */
export async function whoIs(context: TurnContext, ctx: AppContext): Promise<Person | undefined> {
  if (context.turnState.has(PERSON)) return context.turnState.get(PERSON);
  const dir = await ctx.directory.view();
  const from = context.activity.from;
  let person = dir.personByObjectId(from?.aadObjectId);
  if (!person && from?.id) {
    try {
      const member = await untilDeadline(TeamsInfo.getMember(context, from.id));
      const candidate = dir.personByEmail(member.email) ?? dir.personByEmail(member.userPrincipalName);
      const objectId = (from.aadObjectId ?? member.aadObjectId)?.toLowerCase();
      if (!candidate) {
        person = undefined;
      } else if (!memberTenantAllowed(ctx.config, member.tenantId)) {
        ctx.log.info({ code: 'IDENTITY.OTHER_TENANT' }, 'a roster member of another tenant carries a directory e-mail: not matched');
      } else if (!objectId || (member.aadObjectId && member.aadObjectId.toLowerCase() !== objectId)) {
        ctx.log.info({ code: 'IDENTITY.NO_OBJECT_ID' }, 'a directory e-mail without a matching object id: not matched');
      } else if (await ctx.directory.learnObjectId(candidate.email, objectId)) {
        person = { ...candidate, aadObjectId: objectId };
      } else {
        ctx.log.warn({ code: 'IDENTITY.LOOKALIKE' }, 'another object id carries the e-mail of a directory person whose object id is known: not matched');
      }
    } catch (e) {
      // Out of time is not "nobody": the card action answers that it could not be done now.
      if (isDeadline(e)) throw e;
      ctx.log.warn({ err: (e as Error).message }, 'roster look-up failed');
    }
  }
  context.turnState.set(PERSON, person);
  return person;
}
