/**
 * A fake Bot Connector on loopback that keeps Teams' limits: 50 requests a second per app (tenant) and,
 * per conversation, 7/s, 8 in 2 s, 60 in 30 s, 1,800 an hour; beyond them it answers 429 with
 * Retry-After. It also answers an occasional 503. It counts deliveries per conversation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEAMS_CONVERSATION_WINDOWS } from '../../src/delivery/sender';

export class TeamsLimitsConnector {
  readonly delivered = new Map<string, number>();
  readonly requests: { at: number; status: number }[] = [];
  private readonly tenant: number[] = [];
  private readonly perConversation = new Map<string, number[]>();
  private server?: http.Server;
  private seed = 7;
  url = '';

  constructor(private readonly tenantLimit = 50, private readonly failRate = 0.01) {}

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c as Buffer));
      req.on('end', () => this.handle(req, res));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private answer(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.requests.push({ at: Date.now(), status });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const parts = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method !== 'POST' || parts[0] !== 'v3' || parts[1] !== 'conversations' || parts[3] !== 'activities') {
      res.writeHead(404).end();
      return;
    }
    const conv = parts[2];
    const now = Date.now();
    while (this.tenant.length && this.tenant[0] <= now - 1000) this.tenant.shift();
    const h = (this.perConversation.get(conv) ?? []).filter((t) => t > now - 3_600_000);
    this.perConversation.set(conv, h);
    const overConversation = TEAMS_CONVERSATION_WINDOWS.some((w) => h.filter((t) => t > now - w.ms).length >= w.count);
    // every request counts against the limits, refused ones too (as Teams does)
    this.tenant.push(now);
    h.push(now);
    if (this.tenant.length > this.tenantLimit || overConversation) return this.answer(res, 429, { error: { code: 'Throttled' } }, { 'Retry-After': '1' });
    if (this.random() < this.failRate) return this.answer(res, 503, { error: { code: 'ServiceUnavailable' } });
    this.delivered.set(conv, (this.delivered.get(conv) ?? 0) + 1);
    this.answer(res, 200, { id: `act-${conv}-${this.delivered.get(conv)}` });
  }
}
