/** A generated directory for benches: one area, N homes, one manager each (with object ids, as Teams would give). */
import type { Directory } from '../src/domain/directory';

export const benchObjectId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export function benchDirectory(homes: number, areaId = 'bench'): Directory {
  return {
    areas: [
      {
        id: areaId,
        name: 'Bench Partnership',
        timezone: 'Europe/London',
        huddleTime: '09:30',
        reminderTime: '11:00',
        summaryTime: '12:00',
        huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
        digest: { day: 'MON', time: '08:00' },
      },
    ],
    homes: Array.from({ length: homes }, (_, i) => ({ id: `${areaId}-home-${i}`, area: areaId, name: `Home ${i}`, registeredPlaces: 40, nursing: i % 2 === 0 })),
    people: [
      ...Array.from({ length: homes }, (_, i) => ({
        email: `manager${i}@${areaId}.example`,
        name: `Manager ${i}`,
        aadObjectId: benchObjectId(i),
        roles: [{ role: 'manager' as const, home: `${areaId}-home-${i}` }],
      })),
      { email: `support@${areaId}.example`, name: 'Support Lead', aadObjectId: benchObjectId(900000), roles: [{ role: 'support' as const, area: areaId }, { role: 'approver' as const, area: areaId }] },
    ],
  };
}
