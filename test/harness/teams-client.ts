/** Sends Teams-shaped activities to the real server over HTTP, as Teams would. */
import { createHash } from 'node:crypto';
import type { Directory, Person } from '../../src/domain/directory';
import type { FakeConnector, Member } from './fake-connector';

export const TENANT_ID = '72f988bf-0000-0000-0000-000000000001';
export const BOT_ID = '28:care-home-huddle-bot';

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
}

export interface Conversation {
  id: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
  tenantId: string;
  isGroup?: boolean;
  teamId?: string;
  channelId?: string;
}

/** A stable Entra object id for a test person who has none in the directory. */
export function objectIdFor(email: string): string {
  const h = createHash('sha1').update(email).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function teamsUser(p: Pick<Person, 'email' | 'name' | 'aadObjectId'>): TeamsUser {
  const aadObjectId = p.aadObjectId ?? objectIdFor(p.email);
  return { id: `29:${aadObjectId}`, name: p.name, aadObjectId, email: p.email };
}

export const personalChat = (u: TeamsUser): Conversation => ({ id: `a:personal-${u.aadObjectId}`, conversationType: 'personal', tenantId: TENANT_ID });

export const channel = (name: string): Conversation => ({
  id: `19:${name}@thread.tacv2`,
  conversationType: 'channel',
  tenantId: TENANT_ID,
  isGroup: true,
  teamId: `19:team-${name}@thread.tacv2`,
  channelId: `19:${name}@thread.tacv2`,
});

export const groupChat = (name: string): Conversation => ({ id: `19:meeting_${name}@thread.v2`, conversationType: 'groupChat', tenantId: TENANT_ID, isGroup: true });

export interface Answer {
  status: number;
  body: any;
}

export class TeamsClient {
  private seq = 1;

  constructor(readonly botUrl: string, readonly connector: FakeConnector) {}

  /** Puts everyone in the directory on the fake roster (as Teams would answer TeamsInfo.getMember). */
  rosterFrom(dir: Directory): void {
    for (const p of dir.people) this.addToRoster(teamsUser(p));
  }

  addToRoster(u: TeamsUser): void {
    const m: Member = { id: u.id, name: u.name, aadObjectId: u.aadObjectId, email: u.email, userPrincipalName: u.email };
    this.connector.addMember(m);
  }

  activity(from: TeamsUser, conv: Conversation, fields: Record<string, unknown>): Record<string, unknown> {
    const { teamId, channelId, ...conversation } = conv;
    return {
      id: `incoming-${this.seq++}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.connector.url,
      channelId: 'msteams',
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: { id: BOT_ID, name: 'Care Home Huddle' },
      conversation,
      locale: 'en-GB',
      channelData: {
        tenant: { id: TENANT_ID },
        ...(teamId ? { team: { id: teamId }, channel: { id: channelId } } : {}),
      },
      ...fields,
    };
  }

  async post(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  }

  message(from: TeamsUser, conv: Conversation, text: string): Promise<Answer> {
    const mention = conv.conversationType === 'personal' ? '' : '<at>Care Home Huddle</at> ';
    const entities = mention ? [{ type: 'mention', text: '<at>Care Home Huddle</at>', mentioned: { id: BOT_ID, name: 'Care Home Huddle' } }] : [];
    return this.post(this.activity(from, conv, { type: 'message', text: `${mention}${text}`, textFormat: 'plain', entities }));
  }

  /** An Action.Execute invoke: the card's data with the user's inputs merged in. */
  invoke(from: TeamsUser, conv: Conversation, verb: string, data: Record<string, unknown>, replyToId?: string): Promise<Answer> {
    return this.post(
      this.activity(from, conv, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        ...(replyToId ? { replyToId } : {}),
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
  }

  /** The person's answer to a file consent card: Teams' fileConsent/invoke, with the card's context and (on accept) where to upload. */
  fileConsent(from: TeamsUser, action: 'accept' | 'decline', context: unknown, uploadInfo?: Record<string, unknown>, replyToId?: string): Promise<Answer> {
    return this.post(
      this.activity(from, personalChat(from), {
        type: 'invoke',
        name: 'fileConsent/invoke',
        ...(replyToId ? { replyToId } : {}),
        value: { type: 'fileUpload', action, context, ...(uploadInfo ? { uploadInfo } : {}) },
      }),
    );
  }

  /** The personal-scope install of the app. */
  install(from: TeamsUser): Promise<Answer> {
    return this.post(this.activity(from, personalChat(from), { type: 'installationUpdate', action: 'add' }));
  }

  /** The bot added to a team (conversationUpdate with the bot among membersAdded). */
  addToTeam(from: TeamsUser, conv: Conversation): Promise<Answer> {
    return this.post(
      this.activity(from, conv, { type: 'conversationUpdate', membersAdded: [{ id: BOT_ID }], channelData: { tenant: { id: TENANT_ID }, team: { id: conv.teamId }, eventType: 'teamMemberAdded' } }),
    );
  }

  meetingStart(from: TeamsUser, conv: Conversation, meetingId = 'meeting-1'): Promise<Answer> {
    return this.post(
      this.activity(from, conv, {
        type: 'event',
        name: 'application/vnd.microsoft.meetingStart',
        value: { Id: meetingId, MeetingType: 'Scheduled', JoinUrl: 'https://teams.example/join', Title: 'Improvement planning', StartTime: new Date().toISOString() },
        channelData: { tenant: { id: TENANT_ID }, meeting: { id: meetingId } },
      }),
    );
  }

  meetingEnd(from: TeamsUser, conv: Conversation, meetingId = 'meeting-1'): Promise<Answer> {
    return this.post(
      this.activity(from, conv, {
        type: 'event',
        name: 'application/vnd.microsoft.meetingEnd',
        value: { Id: meetingId, MeetingType: 'Scheduled', JoinUrl: 'https://teams.example/join', Title: 'Improvement planning', EndTime: new Date().toISOString() },
        channelData: { tenant: { id: TENANT_ID }, meeting: { id: meetingId } },
      }),
    );
  }
}
