/**
 * An export accepted through Teams' file consent card (§6a), sent by the delivery worker: the CSV built from the
 * intent's parameters (the person's role checked once more), uploaded to the URL Teams gave with plain HTTPS PUTs
 * (Content-Range "bytes a-b/n", in 10 MiB pieces, so a file of any size arrives whole), then the file card in their
 * 1:1 chat. The upload URL is a pre-authorised upload session: it is never logged.
 */
import type { Readable } from 'node:stream';
import type { AppContext } from '../context';
import type { Person } from '../domain/directory';
import type { ExportKind } from '../domain/export';
import type { Intent, UploadTarget } from '../storage/outbox';
import { senderOf } from './send-one';

type ExportFileIntent = Extract<Intent, { kind: 'export-file' }>;
type Outcome = { outcome: 'done' } | { outcome: 'retry'; status: number } | { outcome: 'gone'; code: string };
/** Tells a directory person a line of text in their 1:1 chat (notices.ts's). */
type Tell = (email: string, text: string) => Promise<unknown>;

/** The CSV builder, the host's (src/app/export-chat.ts buildChatExport): delivery never calls a use case itself. */
export type ChatExportBuilder = (
  ctx: AppContext,
  person: Person,
  q: { what: ExportKind; areaId: string; from: string; to: string },
) => Promise<{ ok: true; value: { filename: string; stream(): Readable } } | { ok: false; code: string; message: string }>;

export const chatExports: { build?: ChatExportBuilder } = {};

/** OneDrive upload sessions take pieces that are multiples of 320 KiB (the last one excepted), under 60 MiB. */
export const UPLOAD_PIECE = 32 * 320 * 1024;

async function csvBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/** The whole file to Teams' upload URL: 'done', or the HTTP status (0: no answer) of the piece refused. */
export async function upload(target: Pick<UploadTarget, 'uploadUrl'>, bytes: Buffer, timeoutMs = 60_000): Promise<{ ok: true } | { ok: false; status: number }> {
  const total = bytes.length;
  for (let start = 0; start < total || (total === 0 && start === 0); start += UPLOAD_PIECE) {
    const piece = bytes.subarray(start, Math.min(start + UPLOAD_PIECE, total));
    const end = start + piece.length - 1;
    let status = 0;
    try {
      const res = await fetch(target.uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(piece.length), 'content-range': `bytes ${start}-${end}/${total}` },
        body: piece,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      return { ok: false, status: 0 };
    }
    if (status < 200 || status >= 300) return { ok: false, status };
    if (total === 0) break;
  }
  return { ok: true };
}

export async function sendExportFile(ctx: AppContext, intent: ExportFileIntent, tell: Tell): Promise<Outcome> {
  const build = chatExports.build;
  if (!build) throw new Error('no chat export builder: the host sets it');
  const person = (await ctx.directory.view()).personByEmail(intent.email);
  const conv = person?.aadObjectId ? await ctx.conversations.forUser(person.aadObjectId) : undefined;
  if (!person || !conv || conv.stale) return { outcome: 'gone', code: 'EXPORT.NOT_REACHABLE' };
  const log = { export: intent.what, area: intent.areaId, from: intent.from, to: intent.to };

  const made = await build(ctx, person, intent);
  if (!made.ok) {
    ctx.log.info({ ...log, code: made.code }, 'chat export refused when built');
    await tell(intent.email, made.message);
    return { outcome: 'gone', code: made.code };
  }
  const bytes = await csvBytes(made.value.stream());
  const sent = await upload(intent.upload, bytes);
  if (!sent.ok) {
    // 4xx: the upload session is gone or refused (it expires); only a new consent gives another
    if (sent.status >= 400 && sent.status < 500 && sent.status !== 408 && sent.status !== 429) {
      ctx.log.warn({ ...log, status: sent.status, code: 'EXPORT.UPLOAD_REFUSED' }, 'chat export upload refused');
      await tell(intent.email, 'Teams did not take the file, so it was not sent. Type **export** to have it offered again.');
      return { outcome: 'gone', code: 'EXPORT.UPLOAD_REFUSED' };
    }
    ctx.log.warn({ ...log, status: sent.status, code: 'EXPORT.UPLOAD_FAILED' }, 'chat export upload failed; will retry');
    return { outcome: 'retry', status: sent.status };
  }
  const messenger = ctx.messenger!;
  const u = intent.upload;
  const message = {
    summary: `Export: ${u.name}`,
    attachment: { contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: u.contentUrl, name: u.name, content: { uniqueId: u.uniqueId, fileType: u.fileType } },
  };
  const r = await senderOf(ctx).send(conv.reference.conversation.id, () => messenger.send(conv.reference, message));
  if (r.outcome === 'sent') {
    ctx.log.info({ ...log, bytes: bytes.length, code: 'EXPORT.SENT' }, 'chat export uploaded and its file card sent');
    return { outcome: 'done' };
  }
  // the file is in their OneDrive already; a retry would upload it again, so the card is not retried
  ctx.log.warn({ ...log, status: r.status, code: 'EXPORT.CARD_NOT_SENT' }, 'chat export uploaded; its file card was not sent');
  return { outcome: 'gone', code: 'EXPORT.CARD_NOT_SENT' };
}

/** Every try failed: the person is told, so that they ask again rather than wait. */
export async function tellExportUndelivered(_ctx: AppContext, intent: ExportFileIntent, tell: Tell): Promise<void> {
  await tell(intent.email, `The ${intent.what} export of ${intent.from} to ${intent.to} could not be uploaded to Teams. Type **export** to try again.`).catch(() => undefined);
}
