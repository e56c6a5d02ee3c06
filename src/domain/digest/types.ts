/** The computed digest (§6): the area's sections, and one summary a home. */
import type { NotifiableKind } from '../notifiable';
import type { Rag } from '../rag';
import type { OutbreakStatus } from './rows';
import type { DigestWeek } from './week';

/** A home-level count of harm: 1 or 2 is not shown as a number; 0 is shown as none (§6). */
export type SmallCount = number | 'fewer than 3';

export interface Harm {
  fallsWithHarm: number;
  newPressureUlcers: number;
  deaths: number;
  unexpectedDeaths: number;
}

export type DayMark = Rag | 'missing' | 'not-expected';

export interface HomeDigest {
  homeId: string;
  name: string;
  submitted: number;
  expected: number;
  rate?: number;
  previousRate?: number;
  missed: number;
  days: { date: string; mark: DayMark }[];
  green: number;
  amber: number;
  red: number;
  reds: { date: string; reasons: string[] }[];
  harm: { fallsWithHarm: SmallCount; newPressureUlcers: SmallCount; deaths: SmallCount; unexpectedDeaths: SmallCount };
  staffingAmberRedDays: number;
  agencyShifts: number;
  shiftsUnfilled: number;
  nurseCoverGapDays: number;
  /** as at the home's last answer of the week */
  latest?: { date: string; bedsAvailable: number; bedsClosed: number; bedsClosedReason?: string; residents: number; outbreakStatus: OutbreakStatus };
  openEscalation?: OpenEscalation;
  actions: { green: number; amber: number; red: number; overdue: number };
  /** the week's notifiable events, those recorded as notified and those not (small counts as "fewer than 3") */
  notifications: { events: SmallCount; notified: SmallCount; notYet: SmallCount };
}

/** A home's notifiable events of the week: its counts under the small-number rule, and those not recorded as notified. */
export interface NotifiableHome {
  homeId: string;
  name: string;
  events: SmallCount;
  notified: SmallCount;
  notYet: SmallCount;
  /** by day and kind only: no count of people */
  outstanding: { date: string; kind: NotifiableKind; flagged: boolean }[];
}

export interface OpenEscalation {
  id: string;
  homeId: string;
  homeName: string;
  state: string;
  owner?: string;
  /** whole days from opening to the end of the week */
  ageDays: number;
}

export interface Digest {
  area: { id: string; name: string };
  week: DigestWeek;
  previous: DigestWeek;
  completion: { submitted: number; expected: number; rate?: number; previousSubmitted: number; previousExpected: number; previousRate?: number; changePoints?: number };
  homesMissing2: { homeId: string; name: string; missed: number }[];
  ragByDay: { date: string; green: number; amber: number; red: number; missing: number }[];
  homesRed: { homeId: string; name: string; days: number }[];
  reds: { homeId: string; name: string; date: string; reasons: string[] }[];
  escalations: { opened: number; escalated: number; escalatedByPathway: { pathway: string; count: number }[]; rejected: number; closed: number; open: OpenEscalation[] };
  outbreaks: {
    new: string[];
    open: { homeId: string; name: string; status: OutbreakStatus }[];
    closing: string[];
    /** homes with a confirmed outbreak this week, and whether the Care Inspectorate was notified */
    confirmed: { homeId: string; name: string; notified: boolean }[];
    newCasesResidents: number;
    newCasesStaff: number;
  };
  staffing: { homesAmberRed3: { homeId: string; name: string; days: number }[]; agencyShifts: number; previousAgencyShifts: number; shiftsUnfilled: number; previousShiftsUnfilled: number; nurseCoverGapDays: number };
  beds: { available: number; closed: number; closedByReason: { reason: string; count: number }[]; residents: number; places: number; occupancy?: number };
  harm: Harm;
  previousHarm: Harm;
  /** Care Inspectorate notifications: the area's totals (exact), by kind, and the homes with an event, those not notified first */
  notifications: {
    events: number;
    notified: number;
    notYet: number;
    byKind: { kind: NotifiableKind; events: number; notified: number }[];
    homes: NotifiableHome[];
  };
  actions: {
    total: number;
    byRag: { green: number; amber: number; red: number };
    byTheme: { theme: number; green: number; amber: number; red: number }[];
    overdue: { homeId: string; name: string; number: string; dueDate: string }[];
    completedThisWeek: number;
  };
  homes: HomeDigest[];
}
