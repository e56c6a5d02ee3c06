/** Table `homes`: PK area id, RK home id, so that an area's homes are one partition. */
import type { TableClient } from '@azure/data-tables';
import type { Home } from '../domain/directory';

export interface HomeEntity {
  partitionKey: string;
  rowKey: string;
  name: string;
  registeredPlaces: number;
  nursing: boolean;
  retired: boolean;
}

export const toHomeEntity = (h: Home): HomeEntity => ({
  partitionKey: h.area,
  rowKey: h.id,
  name: h.name,
  registeredPlaces: h.registeredPlaces,
  nursing: h.nursing,
  retired: false,
});

export const fromHomeEntity = (e: HomeEntity): Home => ({
  id: e.rowKey,
  area: e.partitionKey,
  name: e.name,
  registeredPlaces: e.registeredPlaces,
  nursing: e.nursing,
});

export async function listHomeEntities(table: TableClient): Promise<HomeEntity[]> {
  const out: HomeEntity[] = [];
  for await (const e of table.listEntities<HomeEntity>()) out.push(e);
  return out;
}
