/**
 * npm run restore -- --from YYYY-MM-DD [--list]: rebuilds every table from that night's backup (BACKUP_STORAGE_URL or
 * BACKUP_CONNECTION_STRING, container BACKUP_CONTAINER) into the storage account STORAGE_* names, whose tables must
 * be empty. Delivery rows, leases, outbox intents and queues are left out, so nothing old is sent again
 * (src/storage/backup.ts). `--list` prints the dates that can be restored.
 */
import { parseArgs } from 'node:util';
import { isIsoDate } from '../domain/calendar';
import { backupDates, openBackupContainer, restoreBackup, RestoreRefused } from '../storage/backup';
import { openCli, runCli } from './open';

runCli(async () => {
  const { values } = parseArgs({ options: { from: { type: 'string' }, list: { type: 'boolean' } } });
  if (!values.list && (!values.from || !isIsoDate(values.from))) {
    process.stderr.write('Usage: npm run restore -- --from YYYY-MM-DD   (or --list for the dates there are backups of)\n');
    return 2;
  }
  const { ctx, storage, close } = await openCli();
  try {
    const { BACKUP_CONNECTION_STRING: connectionString, BACKUP_STORAGE_URL: accountUrl, BACKUP_CONTAINER: container } = ctx.config;
    const backups = openBackupContainer({ connectionString, accountUrl, container });
    if (!backups) {
      process.stderr.write('No backup account: set BACKUP_STORAGE_URL (or BACKUP_CONNECTION_STRING) and BACKUP_CONTAINER.\n');
      return 2;
    }
    if (values.list) {
      process.stdout.write(`${(await backupDates(backups)).join('\n')}\n`);
      return 0;
    }
    try {
      const report = await restoreBackup(storage, backups, values.from!);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(`Restored the backup of ${values.from}. Delivery rows, leases, outbox intents and queues were left out: nothing old is sent again.\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof RestoreRefused)) throw e;
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
  } finally {
    await close();
  }
});
