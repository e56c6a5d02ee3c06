/** What `help` says to each person, from their roles. */
import type { DirectoryView, Person } from './directory';

export function helpFor(person: Person, dir: DirectoryView): string[] {
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
      .map((a) => `${a.name} on ${a.digest.day} at ${a.digest.time}`);
    lines.push(`- You receive the weekly digest here: ${digests.join('; ')}.`);
  }
  if (roles.has('admin')) lines.push('- Change the directory with `npm run directory -- import FILE`; **link area** works in any channel for your areas.');
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
