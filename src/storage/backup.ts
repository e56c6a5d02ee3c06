/**
 * The nightly backup of every table, and the restore that rebuilds them (Table storage has no point-in-time
 * restore). A backup is one Blob "folder" a day in a container of a separate storage account:
 * `<YYYY-MM-DD>/<table>.jsonl` (one entity a line, every property with its Edm type, so a restore writes back
 * exactly what was read) and `<YYYY-MM-DD>/manifest.json`, written last: a backup without it is incomplete and is
 * never restored. Table names are kept without TABLE_PREFIX, so a backup restores under any prefix.
 *
 * A restore writes into tables that are empty and leaves out what would send something old again, or hold work
 * for an instance long gone: the `deliveries` table (delivery rows, their leases, the senders partition), the
 * outbox intents (row keys starting "~out_"), and the leases on the rows it keeps (`holder`, `leaseUntil`: an
 * occurrence's claim, an escalation card's send lease). Queues are never backed up.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';
import type { TableEntity, TransactionAction } from '@azure/data-tables';
import type { Storage } from './client';
import { OUTBOX_PREFIX } from './outbox';
import { TABLE_NAMES, type TableName } from './table-names';

export interface BackupSettings {
  /** Azurite or a key (local use and tests) */
  connectionString?: string;
  /** https://<account>.blob.core.windows.net, reached with DefaultAzureCredential (the app's managed identity) */
  accountUrl?: string;
  container: string;
}

/** Never restored: copies of messages sent, kept only to send each once, and their leases. */
export const NOT_RESTORED_TABLES: readonly TableName[] = ['deliveries'];
/** Columns that are a lease of an instance: dropped on restore, so the row is free at once. */
const LEASE_COLUMNS = ['holder', 'leaseUntil'];

export interface BackupManifest {
  date: string;
  takenAt: string;
  tables: Record<string, number>;
}

/** The backup container; undefined when no backup account is configured. */
export function openBackupContainer(settings: Partial<BackupSettings>): ContainerClient | undefined {
  const container = settings.container ?? 'table-backups';
  if (settings.connectionString) return BlobServiceClient.fromConnectionString(settings.connectionString).getContainerClient(container);
  if (settings.accountUrl) return new BlobServiceClient(settings.accountUrl, new DefaultAzureCredential()).getContainerClient(container);
  return undefined;
}

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

/** Every entity of a table as stored (Edm types kept), without the service's etag and timestamp. */
async function readAll(storage: Storage, name: TableName): Promise<Row[]> {
  const out: Row[] = [];
  for await (const e of storage.table(name).listEntities({ disableTypeConversion: true })) {
    const { etag: _etag, timestamp: _timestamp, ...rest } = e as Record<string, unknown>;
    out.push(rest as Row);
  }
  return out;
}

const manifestName = (date: string) => `${date}/manifest.json`;

/** True when a complete backup for the date exists. */
export async function backupExists(container: ContainerClient, date: string): Promise<boolean> {
  return container.getBlockBlobClient(manifestName(date)).exists();
}

/**
 * Copies every table to `<date>/…` (replacing a backup of that date), manifest last.
 */
export async function takeBackup(storage: Storage, container: ContainerClient, date: string, at: Date): Promise<BackupManifest> {
  const manifest: BackupManifest = { date, takenAt: at.toISOString(), tables: {} };
  for (const name of TABLE_NAMES) {
    const rows = await readAll(storage, name);
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    await container.getBlockBlobClient(`${date}/${name}.jsonl`).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
    manifest.tables[name] = rows.length;
  }
  const text = JSON.stringify(manifest, null, 2);
  await container.getBlockBlobClient(manifestName(date)).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
  return manifest;
}

/** The dates with a complete backup, oldest first. */
export async function backupDates(container: ContainerClient): Promise<string[]> {
  const dates: string[] = [];
  for await (const b of container.listBlobsFlat()) {
    const m = /^(\d{4}-\d{2}-\d{2})\/manifest\.json$/.exec(b.name);
    if (m) dates.push(m[1]);
  }
  return dates.sort();
}

/** What a restored row becomes: undefined when it is left out. */
export function restoredRow(table: TableName, row: Row): Row | undefined {
  if (NOT_RESTORED_TABLES.includes(table)) return undefined;
  if (row.rowKey.startsWith(OUTBOX_PREFIX)) return undefined;
  const out: Row = { ...row };
  for (const c of LEASE_COLUMNS) delete out[c];
  return out;
}

export interface RestoreReport {
  date: string;
  restored: Record<string, number>;
  leftOut: Record<string, number>;
}

export class RestoreRefused extends Error {}

/**
 * Rebuilds every table from the backup of `date` into `storage`, whose tables must all be empty (a restore never
 * mixes with live rows). Rows are written by partition in transactions of up to 100.
 */
export async function restoreBackup(storage: Storage, container: ContainerClient, date: string): Promise<RestoreReport> {
  const manifestBlob = container.getBlockBlobClient(manifestName(date));
  if (!(await manifestBlob.exists())) throw new RestoreRefused(`There is no complete backup for ${date}. Backups: ${(await backupDates(container)).join(', ') || 'none'}.`);
  const manifest = JSON.parse((await manifestBlob.downloadToBuffer()).toString('utf8')) as BackupManifest;
  await storage.ensureTables();
  const notEmpty: string[] = [];
  for (const name of TABLE_NAMES) {
    const first = await storage.table(name).listEntities().byPage({ maxPageSize: 1 }).next();
    if (!first.done && first.value.length > 0) notEmpty.push(`${storage.prefix}${name}`);
  }
  if (notEmpty.length) throw new RestoreRefused(`A restore writes into empty tables only; these hold rows: ${notEmpty.join(', ')}. Restore into a new account, or a new TABLE_PREFIX.`);

  const report: RestoreReport = { date, restored: {}, leftOut: {} };
  for (const name of TABLE_NAMES) {
    if (!(name in manifest.tables)) continue;
    const text = (await container.getBlockBlobClient(`${date}/${name}.jsonl`).downloadToBuffer()).toString('utf8');
    const rows = text ? text.split('\n').map((l) => JSON.parse(l) as Row) : [];
    const byPartition = new Map<string, Row[]>();
    let left = 0;
    for (const r of rows) {
      const kept = restoredRow(name, r);
      if (!kept) {
        left++;
        continue;
      }
      byPartition.set(kept.partitionKey, [...(byPartition.get(kept.partitionKey) ?? []), kept]);
    }
    const table = storage.table(name);
    for (const part of byPartition.values()) {
      for (let i = 0; i < part.length; i += 100) {
        await table.submitTransaction(part.slice(i, i + 100).map((e): TransactionAction => ['create', e as TableEntity]));
      }
    }
    report.restored[name] = rows.length - left;
    report.leftOut[name] = left;
  }
  return report;
}

/** The backup over one account, for the retention job (the context holds it): taken once a day. */
export class TableBackups {
  constructor(private readonly storage: Storage) {}

  /** Takes the day's backup unless it exists; undefined when no backup account is configured. */
  async nightly(settings: Partial<BackupSettings>, date: string, at: Date): Promise<{ taken: boolean; manifest?: BackupManifest } | undefined> {
    const container = openBackupContainer(settings);
    if (!container) return undefined;
    if (settings.connectionString) await container.createIfNotExists();
    if (await backupExists(container, date)) return { taken: false };
    return { taken: true, manifest: await takeBackup(this.storage, container, date, at) };
  }
}
