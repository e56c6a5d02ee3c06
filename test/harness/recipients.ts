/** Recipients for deliver() whose references point at the fake connector: one 1:1 chat each. */
import type { Recipient } from '../../src/delivery/deliver';

export const testRecipients = (connectorUrl: string, count: number, prefix = 'c'): Recipient[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `user:${prefix}${i}`,
    kind: 'user',
    conversationKey: `${prefix}${i}`,
    reference: { serviceUrl: connectorUrl, channelId: 'msteams', conversation: { id: `${prefix}-conv-${i}` }, bot: { id: 'bot' } },
    message: { text: `hello ${i}` },
  }));
