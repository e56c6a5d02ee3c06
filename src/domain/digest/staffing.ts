/** Digest section: staffing amber or red, agency and unfilled shifts, nurse cover gaps. */
import type { HuddleRow } from './rows';
import { sum, type DigestScope } from './scope';
import type { Digest, HomeDigest } from './types';

export function homeStaffing(mine: HuddleRow[]): Pick<HomeDigest, 'staffingAmberRedDays' | 'agencyShifts' | 'shiftsUnfilled' | 'nurseCoverGapDays'> {
  return {
    staffingAmberRedDays: mine.filter((r) => r.staffingRag === 'amber' || r.staffingRag === 'red').length,
    agencyShifts: sum(mine, (r) => r.agencyShifts),
    shiftsUnfilled: sum(mine, (r) => r.shiftsUnfilled),
    nurseCoverGapDays: mine.filter((r) => r.nurseCoverGap).length,
  };
}

export function staffing(s: DigestScope, homes: HomeDigest[]): Digest['staffing'] {
  return {
    homesAmberRed3: homes.filter((h) => h.staffingAmberRedDays >= 3).map((h) => ({ homeId: h.homeId, name: h.name, days: h.staffingAmberRedDays })),
    agencyShifts: sum(s.thisWeek, (r) => r.agencyShifts),
    previousAgencyShifts: sum(s.lastWeek, (r) => r.agencyShifts),
    shiftsUnfilled: sum(s.thisWeek, (r) => r.shiftsUnfilled),
    previousShiftsUnfilled: sum(s.lastWeek, (r) => r.shiftsUnfilled),
    nurseCoverGapDays: s.thisWeek.filter((r) => r.nurseCoverGap).length,
  };
}
