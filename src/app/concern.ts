/** `raise concern` (chat, or the huddle summary's button): the form, then an escalation for the home (§4). */
import type { ConcernFormView } from '../cards/concern.card';
import type { AppContext } from '../context';
import { isManagerOf } from '../domain/directory';
import { notInDirectory } from '../domain/help';
import { concernProblem } from '../domain/huddle';
import { localDate } from '../domain/calendar';
import { raiseByPerson } from './escalation-open';
import { done, refuse, type Asker, type CardData, type Outcome } from './outcome';

export type ConcernView = { kind: 'form'; form: ConcernFormView } | { kind: 'sent' };

/** `raise concern` in chat: the form, for a manager of a home. */
export function concernFormFor(ctx: AppContext, { person, dir }: Asker): Outcome<ConcernView> {
  if (!person) return refuse('CONCERN.NOT_IN_DIRECTORY', notInDirectory(dir, ctx.config.HELP_CONTACT));
  const homes = dir.homesManagedBy(person);
  if (!homes.length) return refuse('CONCERN.NOT_A_MANAGER', 'A concern is raised by the manager of a home. Support team members can open the escalation cards in their channel.');
  return done({ kind: 'form', form: { homes } });
}

/** escalation.raise: the form (no `submitted`), or the concern checked and raised. */
export async function raiseConcern(ctx: AppContext, { person, dir }: Asker, data: CardData): Promise<Outcome<ConcernView>> {
  if (!person) return refuse('CONCERN.NOT_IN_DIRECTORY', "I can't find you in the directory, so I can't take a concern from you. Nothing was sent.");
  const homes = dir.homesManagedBy(person);
  const homeId = typeof data.homeId === 'string' ? data.homeId : undefined;
  const home = homeId ? dir.homes.get(homeId) : undefined;
  if (!home || !isManagerOf(person, home.id)) {
    if (!homes.length) return refuse('CONCERN.NOT_A_MANAGER', 'A concern is raised by the manager of a home. Nothing was sent.');
    if (homeId && data.submitted !== undefined) return refuse('CONCERN.NOT_YOUR_HOME', `Only the managers of ${home?.name ?? 'that home'} can raise a concern for it. Nothing was sent.`);
  }
  if (data.submitted === undefined) return done({ kind: 'form', form: { homes, homeId: home && isManagerOf(person, home.id) ? home.id : undefined } });
  const concern = typeof data.concern === 'string' ? data.concern.trim() : '';
  const protection = data.protection === true || data.protection === 'true';
  const typed: ConcernFormView = { homes, homeId, concern: typeof data.concern === 'string' ? data.concern.slice(0, 600) : '', protection };
  const problem = concern ? concernProblem(concern) : 'Write the concern.';
  if (problem || !home) return refuse('CONCERN.INVALID', 'Nothing was sent yet.', { kind: 'form', form: { ...typed, concernError: problem ?? '', message: 'Nothing was sent yet.' } });
  const area = dir.areas.get(home.area)!;
  try {
    const { opened } = await raiseByPerson(ctx, { areaId: area.id, homeId: home.id, concern, protection, by: person.email, date: localDate(ctx.clock(), area.timezone) });
    ctx.log.info({ home: home.id, opened, protection }, 'concern raised');
    return done(
      { kind: 'sent' },
      `${opened ? `Your concern about ${home.name} is being sent to the support team now.` : `Your concern has been added to the open escalation for ${home.name} and is being sent to the support team now.`} If it cannot reach them, I will tell you here.${protection ? ' If someone is at immediate risk, call the police or social work out of hours now: an adult-protection referral must not wait.' : ''}`,
    );
  } catch (e) {
    ctx.log.error({ home: home.id, err: (e as Error).message }, 'concern not saved');
    const message = 'Not sent: it could not be saved just now. Please try again.';
    return refuse('CONCERN.NOT_SAVED', message, { kind: 'form', form: { ...typed, message } });
  }
}
