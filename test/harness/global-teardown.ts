import type { EmbeddedAzurite } from '../../src/storage/azurite';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __azurite?: EmbeddedAzurite }).__azurite?.stop();
}
