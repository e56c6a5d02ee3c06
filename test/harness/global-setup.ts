/** Starts one in-memory Azurite for the whole run; each test host uses its own table prefix. */
import { startAzurite } from '../../src/storage/azurite';

export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
  process.env.TEST_AZURITE_TABLE_PORT = String(azurite.tablePort);
  process.env.TEST_AZURITE_QUEUE_PORT = String(azurite.queuePort);
  (globalThis as { __azurite?: typeof azurite }).__azurite = azurite;
}
