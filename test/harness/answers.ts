/** A huddle answer as Teams sends the card's Action.Execute data (inputs as strings): green unless `extra` says otherwise. */
export const huddleAnswer = (homeId: string, date: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  homeId, date, residents: '20', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '0',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good', fallsWithHarm: '0',
  newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0', visiting: 'open', protectionConcern: 'false',
  supportNeeded: '', concern: '', ...extra,
});
