/** `raise concern` (chat, or the huddle summary's button): the form, then an escalation for the home. */
import type { AppContext } from '../context';
import { huddleMessageCard } from '../cards/huddle.card';
import { bindCard } from '../cards/template';
import { isManagerOf, type DirectoryView, type Person } from '../domain/directory';
import { concernProblem } from '../domain/huddle';
import { localDate } from '../domain/calendar';
import { raiseByPerson } from './raise';

export function concernForm(dir: DirectoryView, person: Person, values: { homeId?: string; concern?: string; protection?: string } = {}, concernError = '', message = ''): object {
  const homes = dir.homesManagedBy(person).map((h) => ({ id: h.id, name: h.name }));
  return bindCard('raise-concern', { homes, homeId: values.homeId ?? homes[0]?.id ?? '', concern: values.concern ?? '', protection: values.protection === 'true' ? 'true' : 'false', concernError, message });
}

export async function raiseConcern(ctx: AppContext, dir: DirectoryView, person: Person | undefined, data: Record<string, unknown>): Promise<object> {
  if (!person) return huddleMessageCard('Not sent', "I can't find you in the directory, so I can't take a concern from you. Nothing was sent.");
  const homeId = typeof data.homeId === 'string' ? data.homeId : undefined;
  const home = homeId ? dir.homes.get(homeId) : undefined;
  if (!home || !isManagerOf(person, home.id)) {
    if (!dir.homesManagedBy(person).length) return huddleMessageCard('Not sent', 'A concern is raised by the manager of a home. Nothing was sent.');
    if (homeId && data.submitted !== undefined) return huddleMessageCard('Not sent', `Only the managers of ${home?.name ?? 'that home'} can raise a concern for it. Nothing was sent.`);
  }
  if (data.submitted === undefined) return concernForm(dir, person, { homeId: home && isManagerOf(person, home.id) ? home.id : undefined });
  const concern = typeof data.concern === 'string' ? data.concern.trim() : '';
  const protection = data.protection === true || data.protection === 'true';
  const values = { homeId, concern: typeof data.concern === 'string' ? data.concern.slice(0, 600) : '', protection: protection ? 'true' : 'false' };
  const problem = concern ? concernProblem(concern) : 'Write the concern.';
  if (problem || !home) return concernForm(dir, person, values, problem ?? '', 'Nothing was sent yet.');
  const area = dir.areas.get(home.area)!;
  try {
    const { opened } = await raiseByPerson(ctx, { areaId: area.id, homeId: home.id, concern, protection, by: person.email, date: localDate(ctx.clock(), area.timezone) });
    ctx.log.info({ home: home.id, opened, protection }, 'concern raised');
    return huddleMessageCard('Sent to the support team', `${opened ? 'The support team has your concern about' : 'Your concern has been added to the open escalation for'} ${home.name}.${protection ? ' If someone is at immediate risk, call the police or social work out of hours now: an adult-protection referral must not wait.' : ''}`, 'default');
  } catch (e) {
    ctx.log.error({ home: home.id, err: (e as Error).message }, 'concern not saved');
    return concernForm(dir, person, values, '', 'Not sent: it could not be saved just now. Please try again.');
  }
}
