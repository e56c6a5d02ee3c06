/** Table `people`: PK "person", RK the e-mail address (lower case, key-encoded). */
import type { TableClient } from '@azure/data-tables';
import type { Person, RoleGrant } from '../domain/directory';
import { decodeKey, encodeKey } from './client';

export const PERSON_PK = 'person';

export interface PersonEntity {
  partitionKey: string;
  rowKey: string;
  name: string;
  /** the Entra object id given in the directory file, if any */
  aadObjectId?: string;
  /** the Entra object id learned from Teams (roster look-up by e-mail) */
  learnedObjectId?: string;
  roles: string;
  retired: boolean;
  retiredAt?: string;
}

export const personKey = (email: string) => encodeKey(email.trim().toLowerCase());

export const toPersonEntity = (p: Person): PersonEntity => ({
  partitionKey: PERSON_PK,
  rowKey: personKey(p.email),
  name: p.name,
  ...(p.aadObjectId ? { aadObjectId: p.aadObjectId.toLowerCase() } : {}),
  roles: JSON.stringify(p.roles),
  retired: false,
});

export const fromPersonEntity = (e: PersonEntity): Person => {
  const oid = e.aadObjectId || e.learnedObjectId;
  return {
    email: decodeKey(e.rowKey),
    name: e.name,
    ...(oid ? { aadObjectId: oid } : {}),
    roles: JSON.parse(e.roles) as RoleGrant[],
  };
};

export async function listPersonEntities(table: TableClient): Promise<PersonEntity[]> {
  const out: PersonEntity[] = [];
  for await (const e of table.listEntities<PersonEntity>()) out.push(e);
  return out;
}

/** Remembers the Teams user a directory person turned out to be. */
export async function recordLearnedObjectId(table: TableClient, email: string, objectId: string): Promise<void> {
  await table.updateEntity({ partitionKey: PERSON_PK, rowKey: personKey(email), learnedObjectId: objectId.toLowerCase() }, 'Merge');
}
