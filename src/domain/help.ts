/** What `help` says to each person, from their roles. */
import { weekdayPlural } from './calendar';
import type { DirectoryView, Person } from './directory';
import { nameWithReach, type Reach } from './reach';

/** The managers of an area's homes, with whether the app can reach them 1:1 (for its support team, approvers and admins). */
export interface AreaReach {
  area: string;
  managers: { name: string; reach: Reach }[];
}

/** The areas whose managers' reach a person is shown: those they support, approve for or administer (an admin without an area: all). */
export function reachAreasOf(person: Person, dir: DirectoryView): string[] {
  const ids = person.roles.flatMap((r) => (r.role === 'support' || r.role === 'approver' || r.role === 'admin' ? (r.area ? [r.area] : r.role === 'admin' ? [...dir.areas.keys()] : []) : []));
  return [...new Set(ids)].filter((id) => dir.areas.has(id));
}

/** "Managers in Perth and Kinross I cannot reach in Teams: Graham Doig (not reached: has not installed the app)." */
export function reachLine({ area, managers }: AreaReach): string {
  const unreached = managers.filter((m) => m.reach !== 'reachable');
  if (!managers.length) return `- ${area} has no home manager in the directory.`;
  if (!unreached.length) return `- Every home manager in ${area} can be reached in Teams.`;
  return `- Home managers in ${area} I cannot reach in Teams, so they get no huddle card or notice: ${unreached.map((m) => nameWithReach(m.name, m.reach)).join(', ')}.`;
}

/** `reach`: for the support team, approvers and admins, who among their areas' managers the app cannot reach, and why. */
export function helpFor(person: Person, dir: DirectoryView, reach: AreaReach[] = []): string[] {
  const lines: string[] = [`Hello ${person.name.split(' ')[0]}. Here is what you can do with Care Home Huddle:`];
  const homes = dir.homesManagedBy(person);
  const roles = new Set(person.roles.map((r) => r.role));
  const areaNames = (role: string) =>
    person.roles
      .filter((r) => r.role === role && r.area)
      .map((r) => dir.areas.get(r.area!)?.name ?? r.area!)
      .join(', ');
  if (homes.length) {
    const names = homes.map((h) => h.name).join(', ');
    lines.push(`- **huddle**: answer today's safety huddle for ${names} (you will also get it each huddle day).`);
    lines.push('- **raise concern**: tell the support team about a worry now, without waiting for the huddle.');
    lines.push(`- **plan** followed by a home: see and update the improvement plan of ${names}.`);
  }
  if (roles.has('support')) {
    for (const r of person.roles.filter((x) => x.role === 'support' && x.area)) {
      const name = dir.areas.get(r.area!)?.name ?? r.area!;
      lines.push(`- In your team's channel for ${name}, post **link area ${r.area}** to bind the channel, so the daily summary and escalations for ${name} arrive there.`);
    }
    lines.push('- Triage escalations with the buttons on their cards; **plan** followed by a home shows its improvement plan in a channel or meeting chat.');
  }
  if (roles.has('approver')) lines.push(`- Approve or reject escalations to an external pathway for ${areaNames('approver')}.`);
  if (roles.has('chief')) {
    const digests = person.roles
      .filter((r) => r.role === 'chief' && r.area)
      .map((r) => dir.areas.get(r.area!))
      .filter((a) => a !== undefined)
      .map((a) => `${a.name} on ${weekdayPlural(a.digest.day)} at ${a.digest.time}`);
    lines.push(`- You receive the weekly digest here: ${digests.join('; ')}.`);
  }
  if (roles.has('admin')) lines.push('- Change the directory with `npm run directory -- import FILE`; **link area** works in any channel for your areas.');
  lines.push(...reach.map(reachLine));
  lines.push('- **help**: this list.');
  return lines;
}

export function notInDirectory(dir: DirectoryView, fallbackContact: string): string {
  const admins = dir.admins().map((p) => p.name);
  const whom = admins.length ? admins.join(' or ') : fallbackContact;
  return (
    "Hello! I can't find you in the Care Home Huddle directory yet, so there is nothing I can show you. " +
    `Please ask ${whom} to add you, with the e-mail address you use for Teams.`
  );
}
