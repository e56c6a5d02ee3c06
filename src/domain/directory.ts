/** Areas, homes, people and their roles (§1): the file's schema, its validation, and role questions. */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { WEEKDAYS } from './calendar';

export const ROLES = ['manager', 'support', 'approver', 'chief', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24-hour)');
const timezone = z.string().refine((tz) => IANAZone.isValidZone(tz), 'is not a known time zone (use an IANA name such as Europe/London)');

export const areaSchema = z.object({
  id,
  name: z.string().trim().min(1).max(100),
  timezone,
  huddleTime: clockTime,
  reminderTime: clockTime,
  summaryTime: clockTime,
  huddleDays: z.array(z.enum(WEEKDAYS)).min(1).refine((d) => new Set(d).size === d.length, 'lists a day twice'),
  digest: z.object({ day: z.enum(WEEKDAYS), time: clockTime }),
});

export const homeSchema = z.object({
  id,
  area: id,
  name: z.string().trim().min(1).max(100),
  registeredPlaces: z.number().int().min(1).max(1000),
  nursing: z.boolean(),
});

export const roleSchema = z.object({
  role: z.enum(ROLES),
  home: id.optional(),
  area: id.optional(),
});

export const personSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  name: z.string().trim().min(1).max(100),
  aadObjectId: z.string().regex(/^[0-9a-f][0-9a-f-]{7,63}$/i, 'must be an Entra object id').optional(),
  roles: z.array(roleSchema),
});


export type Area = z.infer<typeof areaSchema>;
export type Home = z.infer<typeof homeSchema>;
export type RoleGrant = z.infer<typeof roleSchema>;
export type Person = z.infer<typeof personSchema>;
export interface Directory {
  areas: Area[];
  homes: Home[];
  people: Person[];
}

export interface Problem {
  path: string;
  message: string;
}

/** Turns a zod path such as ['people', 3, 'roles', 0, 'home'] into "people[3].roles[0].home". */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Every problem in a directory file (shape and cross-references together), or the parsed directory when there is none. */
export function validateDirectory(input: unknown): { ok: true; directory: Directory } | { ok: false; problems: Problem[] } {
  const lists = z.object({ areas: z.array(z.unknown()), homes: z.array(z.unknown()), people: z.array(z.unknown()) }).safeParse(input);
  if (!lists.success) {
    return { ok: false, problems: lists.error.issues.map((i) => ({ path: formatPath(i.path) || '(file)', message: i.message })) };
  }
  const problems: Problem[] = [];
  const each = <T>(list: 'areas' | 'homes' | 'people', schema: z.ZodType<T>): T[] =>
    lists.data[list].flatMap((item, i) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) return [parsed.data];
      parsed.error.issues.forEach((issue) => problems.push({ path: formatPath([list, i, ...issue.path]), message: issue.message }));
      return [];
    });
  const areas = each('areas', areaSchema);
  const homes = each('homes', homeSchema);
  const people = each('people', personSchema);

  // Cross-references are checked on the raw items too, so one run lists every problem.
  const raw = (list: 'areas' | 'homes' | 'people') => lists.data[list] as Record<string, unknown>[];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const duplicates = (list: 'areas' | 'homes' | 'people', key: 'id' | 'email') => {
    const seen = new Map<string, number>();
    raw(list).forEach((item, i) => {
      const value = str(item?.[key])?.trim().toLowerCase();
      if (value === undefined) return;
      const first = seen.get(value);
      if (first !== undefined) problems.push({ path: `${list}[${i}].${key}`, message: `duplicate ${key} "${value}" (first at ${list}[${first}])` });
      else seen.set(value, i);
    });
  };
  duplicates('areas', 'id');
  duplicates('homes', 'id');
  duplicates('people', 'email');

  const areaIds = new Set(raw('areas').map((a) => str(a?.id)));
  const homeIds = new Set(raw('homes').map((h) => str(h?.id)));
  raw('homes').forEach((h, i) => {
    const area = str(h?.area);
    if (area && !areaIds.has(area)) problems.push({ path: `homes[${i}].area`, message: `unknown area "${area}"` });
  });
  raw('people').forEach((p, i) => {
    if (!Array.isArray(p?.roles)) return;
    (p.roles as Record<string, unknown>[]).forEach((r, j) => {
      const at = `people[${i}].roles[${j}]`;
      const role = str(r?.role);
      const home = str(r?.home);
      const area = str(r?.area);
      if (!role || !(ROLES as readonly string[]).includes(role)) return;
      if (role === 'manager') {
        if (!home) problems.push({ path: `${at}.home`, message: 'a manager role needs the home it is for' });
        else if (!homeIds.has(home)) problems.push({ path: `${at}.home`, message: `unknown home "${home}"` });
        if (area) problems.push({ path: `${at}.area`, message: 'a manager role names a home, not an area' });
      } else {
        if (home) problems.push({ path: `${at}.home`, message: `a ${role} role names an area, not a home` });
        if (!area && role !== 'admin') problems.push({ path: `${at}.area`, message: `a ${role} role needs the area it is for` });
        else if (area && !areaIds.has(area)) problems.push({ path: `${at}.area`, message: `unknown area "${area}"` });
      }
    });
  });
  return problems.length ? { ok: false, problems } : { ok: true, directory: { areas, homes, people } };
}

/**
 * What an import should warn of, though the file is valid: an area with a single approver (four eyes: a request
 * that approver makes can be decided by nobody else in the area) or with none.
 */
export function approverWarnings(dir: Directory): string[] {
  return dir.areas.flatMap((area) => {
    const approvers = dir.people.filter((p) => p.roles.some((r) => r.role === 'approver' && r.area === area.id));
    if (approvers.length === 1) return [`area "${area.id}" has a single approver (${approvers[0].email}): a request they make cannot be decided by another approver; add a second approver`];
    if (approvers.length === 0) return [`area "${area.id}" has no approver: requests to escalate cannot be decided; add two approvers`];
    return [];
  });
}

/** The directory as the app holds it: lookups by id and by who is asking. */
export class DirectoryView {
  readonly areas: Map<string, Area>;
  readonly homes: Map<string, Home>;
  private readonly byEmail: Map<string, Person>;
  private readonly byObjectId: Map<string, Person>;

  /**
   * `formerNames`: the names of people retired from the directory (e-mail → name), kept only so that
   * what they did is still shown under their name.
   */
  constructor(readonly directory: Directory, private readonly formerNames: ReadonlyMap<string, string> = new Map()) {
    this.areas = new Map(directory.areas.map((a) => [a.id, a]));
    this.homes = new Map(directory.homes.map((h) => [h.id, h]));
    this.byEmail = new Map(directory.people.map((p) => [p.email.toLowerCase(), p]));
    this.byObjectId = new Map(directory.people.filter((p) => p.aadObjectId).map((p) => [p.aadObjectId!.toLowerCase(), p]));
  }

  personByEmail(email: string | undefined): Person | undefined {
    return email ? this.byEmail.get(email.trim().toLowerCase()) : undefined;
  }

  /** A person's name for display (retired people too); undefined when the address was never in the directory. */
  nameOf(email: string | undefined): string | undefined {
    if (!email) return undefined;
    const key = email.trim().toLowerCase();
    return this.byEmail.get(key)?.name ?? this.formerNames.get(key);
  }

  /** A person's name for a sentence, never their e-mail address: "someone no longer in the directory" when unknown. */
  displayName(email: string | undefined): string {
    return this.nameOf(email) ?? 'someone no longer in the directory';
  }

  personByObjectId(objectId: string | undefined): Person | undefined {
    return objectId ? this.byObjectId.get(objectId.toLowerCase()) : undefined;
  }

  homesInArea(areaId: string): Home[] {
    return this.directory.homes.filter((h) => h.area === areaId);
  }

  /** The homes a person manages, in the directory's order. */
  homesManagedBy(person: Person): Home[] {
    return person.roles.flatMap((r) => (r.role === 'manager' && r.home && this.homes.has(r.home) ? [this.homes.get(r.home)!] : []));
  }

  managersOf(homeId: string): Person[] {
    return this.directory.people.filter((p) => isManagerOf(p, homeId));
  }

  peopleWithRole(role: Exclude<RoleName, 'manager'>, areaId: string): Person[] {
    return this.directory.people.filter((p) => hasAreaRole(p, role, areaId));
  }

  /** The areas in which a person holds a role (a manager's through their homes). */
  areasOf(person: Person): string[] {
    const ids = person.roles.map((r) => (r.role === 'manager' ? this.homes.get(r.home ?? '')?.area : r.area));
    return [...new Set(ids.filter((a): a is string => !!a))];
  }

  /** The administrators; with an area, those of that area (an admin without an area is an admin everywhere). */
  admins(areaId?: string): Person[] {
    return this.directory.people.filter((p) => (areaId ? hasAreaRole(p, 'admin', areaId) : p.roles.some((r) => r.role === 'admin')));
  }

  /** The area's support team and approvers, each person once (a support lead who is also an approver, say). */
  teamOf(areaId: string): Person[] {
    return this.directory.people.filter((p) => hasAreaRole(p, 'support', areaId) || hasAreaRole(p, 'approver', areaId));
  }
}

export function isManagerOf(person: Person, homeId: string): boolean {
  return person.roles.some((r) => r.role === 'manager' && r.home === homeId);
}

/** An area role; an admin without an area is an admin everywhere. */
export function hasAreaRole(person: Person, role: Exclude<RoleName, 'manager'>, areaId: string): boolean {
  return person.roles.some((r) => r.role === role && (r.area === areaId || (role === 'admin' && !r.area)));
}

/** Who may bind a channel to an area (§2). */
export function mayLinkArea(person: Person, areaId: string): boolean {
  return hasAreaRole(person, 'support', areaId) || hasAreaRole(person, 'approver', areaId) || hasAreaRole(person, 'admin', areaId);
}
