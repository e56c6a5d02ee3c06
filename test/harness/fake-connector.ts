/**
 * A fake Bot Connector service on loopback: records every activity the bot sends (the way Teams
 * would receive it), answers roster look-ups from the test's members, and can be told to fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName: string;
  /** the member's home tenant (a shared channel can hold members of other organisations) */
  tenantId?: string;
}

export interface Recorded {
  kind: 'send' | 'reply' | 'update' | 'create' | 'delete';
  conversationId: string;
  activityId?: string;
  replyToId?: string;
  activity: any;
  at: number;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  /** how many requests this fault answers; default 1 */
  times?: number;
  /** only for this conversation */
  conversationId?: string;
}

/** One PUT to the fake's upload endpoint (where Teams' file consent uploadUrl points, a OneDrive upload session). */
export interface Upload {
  id: string;
  contentRange: string | undefined;
  contentLength: string | undefined;
  body: Buffer;
  at: number;
}

export class FakeConnector {
  readonly recorded: Recorded[] = [];
  /** every PUT to /upload/:id, in order */
  readonly uploads: Upload[] = [];
  /** statuses the next upload PUTs answer instead of 201 */
  readonly uploadFaults: number[] = [];
  /** while set, upload PUTs are received but wait for it before they are answered */
  uploadsHeld?: Promise<void>;
  /** every request to a conversation's activities, faults included: (conversation id, time) */
  readonly attempts: { conversationId: string; at: number; status: number }[] = [];
  readonly members = new Map<string, Member>();
  /** every roster look-up (members, pagedmembers), by conversation id */
  readonly rosterCalls: { conversationId: string; member?: string }[] = [];
  /** the Authorization header of every request the bot made (undefined when it sent none) */
  readonly authorizations: (string | undefined)[] = [];
  private readonly faults: Fault[] = [];
  private readonly deleted = new Set<string>();
  /** conversations whose posts wait until released */
  private readonly held = new Map<string, Promise<void>>();
  private server?: http.Server;
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  addMember(m: Member): void {
    this.members.set(m.id, m);
    this.members.set(m.aadObjectId, m);
  }

  /** The next request(s) (optionally to one conversation) answer this status instead. */
  /** A person deleted this message in Teams: an update of it is answered 404 from now on. */
  deleteMessage(conversationId: string, activityId: string): void {
    this.deleted.add(`${conversationId}/${activityId}`);
  }

  fail(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Posts to this conversation wait (accepted, unanswered) until the returned function is called. */
  hold(conversationId: string): () => void {
    let release!: () => void;
    this.held.set(conversationId, new Promise<void>((r) => (release = r)));
    return () => {
      this.held.delete(conversationId);
      release();
    };
  }

  clear(): void {
    this.recorded.length = 0;
    this.rosterCalls.length = 0;
    this.authorizations.length = 0;
  }

  /** Activities the bot posted or updated in one conversation. */
  to(conversationId: string, kinds: Recorded['kind'][] = ['send', 'reply']): Recorded[] {
    return this.recorded.filter((r) => r.conversationId === conversationId && kinds.includes(r.kind));
  }

  /** Card attachments sent to a conversation, as bound Adaptive Card JSON. */
  cardsTo(conversationId: string, kinds: Recorded['kind'][] = ['send', 'reply']): any[] {
    return this.to(conversationId, kinds).flatMap((r) => (r.activity.attachments ?? []).map((a: any) => a.content));
  }

  textsTo(conversationId: string): string[] {
    return this.to(conversationId).map((r) => r.activity.text ?? '');
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('waited too long for the fake connector');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private takeFault(conversationId: string): Fault | undefined {
    const i = this.faults.findIndex((f) => !f.conversationId || f.conversationId === conversationId);
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  /** The upload URL a file consent's uploadInfo would carry, on this fake. */
  uploadUrl(id: string): string {
    return `${this.url}upload/${encodeURIComponent(id)}`;
  }

  /** The bytes uploaded for one id, the pieces put together by their Content-Range. */
  uploaded(id: string): Buffer {
    const pieces = this.uploads.filter((u) => u.id === id);
    const total = Number(/\/(\d+)$/.exec(pieces[0]?.contentRange ?? '')?.[1] ?? 0);
    const out = Buffer.alloc(total);
    for (const p of pieces) {
      const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(p.contentRange ?? '');
      if (m) p.body.copy(out, Number(m[1]));
    }
    return out;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'upload' && req.method === 'PUT') {
      // a OneDrive upload session: 202 for a piece, 201 with the item when the last byte has arrived
      const contentRange = req.headers['content-range'];
      this.uploads.push({ id: parts[1] ?? '', contentRange, contentLength: req.headers['content-length'], body: Buffer.concat(chunks), at: Date.now() });
      if (this.uploadsHeld) await this.uploadsHeld;
      const fault = this.uploadFaults.shift();
      const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '');
      const status = fault ?? (!m ? 400 : Number(m[2]) + 1 === Number(m[3]) ? 201 : 202);
      res.writeHead(status, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(status === 201 ? { id: parts[1], name: parts[1] } : status === 202 ? { nextExpectedRanges: [`${Number(m![2]) + 1}-`] } : { error: { code: 'Fault' } }));
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    this.authorizations.push(req.headers.authorization);
    if (parts[3] === 'members' || parts[3] === 'pagedmembers') this.rosterCalls.push({ conversationId: parts[2] ?? '', member: parts[4] });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value ?? {}));
    };
    // /v3/conversations[/:id[/activities[/:activityId]] | /members/:member | /pagedmembers]
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return json(404, { error: { code: 'NotFound' } });
    const conversationId = parts[2] ?? '';
    const fault = this.takeFault(conversationId);
    if (parts[3] === 'activities' && req.method === 'POST') this.attempts.push({ conversationId, at: Date.now(), status: fault?.status ?? 200 });
    if (fault) return json(fault.status, { error: { code: 'Fault', message: `fake fault ${fault.status}` } }, fault.headers);

    if (req.method === 'POST' && parts.length === 2) {
      const id = `a:created-${this.nextId++}`;
      this.recorded.push({ kind: 'create', conversationId: id, activity: body, at: Date.now() });
      return json(201, { id, activityId: body?.activity ? `act-${this.nextId++}` : undefined });
    }
    if (parts[3] === 'members' && parts[4]) {
      const m = this.members.get(parts[4]);
      return m ? json(200, m) : json(404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } });
    }
    if (parts[3] === 'pagedmembers' || (parts[3] === 'members' && !parts[4])) {
      const unique = [...new Set(this.members.values())];
      return json(200, parts[3] === 'pagedmembers' ? { members: unique } : unique);
    }
    if (parts[3] === 'activities') {
      const hold = this.held.get(conversationId);
      if (hold) await hold;
      if (req.method === 'POST') {
        const id = `act-${this.nextId++}`;
        const kind = parts[4] ? 'reply' : 'send';
        this.recorded.push({ kind, conversationId, activityId: id, replyToId: parts[4], activity: body, at: Date.now() });
        return json(200, { id });
      }
      if (req.method === 'PUT' && parts[4] && this.deleted.has(`${conversationId}/${parts[4]}`)) {
        return json(404, { error: { code: 'NotFound', message: 'the message was deleted' } });
      }
      if (req.method === 'PUT' && parts[4]) {
        this.recorded.push({ kind: 'update', conversationId, activityId: parts[4], activity: body, at: Date.now() });
        return json(200, { id: parts[4] });
      }
      if (req.method === 'DELETE' && parts[4]) {
        this.recorded.push({ kind: 'delete', conversationId, activityId: parts[4], activity: undefined, at: Date.now() });
        return json(200, {});
      }
    }
    return json(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
  }
}
