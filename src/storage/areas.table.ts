/** Table `areas`: PK "area", RK area id. */
import { odata, type TableClient } from '@azure/data-tables';
import type { Weekday } from '../domain/calendar';
import type { Area } from '../domain/directory';

export const AREA_PK = 'area';

export interface AreaEntity {
  partitionKey: string;
  rowKey: string;
  name: string;
  timezone: string;
  huddleTime: string;
  reminderTime: string;
  summaryTime: string;
  huddleDays: string;
  digestDay: string;
  digestTime: string;
  retired: boolean;
}

export const toAreaEntity = (a: Area): AreaEntity => ({
  partitionKey: AREA_PK,
  rowKey: a.id,
  name: a.name,
  timezone: a.timezone,
  huddleTime: a.huddleTime,
  reminderTime: a.reminderTime,
  summaryTime: a.summaryTime,
  huddleDays: a.huddleDays.join(','),
  digestDay: a.digest.day,
  digestTime: a.digest.time,
  retired: false,
});

export const fromAreaEntity = (e: AreaEntity): Area => ({
  id: e.rowKey,
  name: e.name,
  timezone: e.timezone,
  huddleTime: e.huddleTime,
  reminderTime: e.reminderTime,
  summaryTime: e.summaryTime,
  huddleDays: e.huddleDays.split(',').filter(Boolean) as Weekday[],
  digest: { day: e.digestDay as Weekday, time: e.digestTime },
});

export async function listAreaEntities(table: TableClient): Promise<AreaEntity[]> {
  const out: AreaEntity[] = [];
  // the partition "area" only: the table also holds the directory's version row (src/storage/directory.store.ts)
  for await (const e of table.listEntities<AreaEntity>({ queryOptions: { filter: odata`PartitionKey eq ${AREA_PK}` } })) out.push(e);
  return out;
}
