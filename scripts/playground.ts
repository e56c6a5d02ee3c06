/**
 * npm run playground [-- --as EMAIL]: the bot on the embedded store with the example directory, and the
 * Microsoft 365 Agents Playground (offline, Teams-like) pointed at it, signed in as a person of the
 * directory (Alex Wilber, a manager, by default). Open http://localhost:56150 and type "help".
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateDirectory, type Person } from '../src/domain/directory';
import { startHost } from '../src/host';

/** The tenant id the Agents Playground puts on every activity (its default config; not a real GUID). */
const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000001';
const DEFAULT_AS = 'alexw@contoso.example';
/** The Playground reads this file from the directory it starts in. */
export const USERS_FILE = path.join(__dirname, '..', '.m365agentsplayground.yml');

/**
 * The person's Entra object id in the Playground: the directory's when it has one, otherwise derived
 * from the e-mail, so it is the same on every run (the bot learns it once; another id carrying the
 * same e-mail on a later run would be refused as a look-alike).
 */
export function playgroundObjectId(p: Pick<Person, 'email' | 'aadObjectId'>): string {
  if (p.aadObjectId) return p.aadObjectId;
  const h = createHash('sha1').update(p.email.toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const q = (s: string) => JSON.stringify(s);
function userYaml(p: Person, n: number, indent: string): string {
  const [given, ...rest] = p.name.split(' ');
  return [
    `id: ${q(`user-id-${n}`)}`,
    `name: ${q(p.name)}`,
    `userPrincipleName: ${q(p.email)}`,
    `aadObjectId: ${q(playgroundObjectId(p))}`,
    `givenName: ${q(given)}`,
    `surname: ${q(rest.join(' ') || given)}`,
    `email: ${q(p.email)}`,
  ].map((line, i) => (i === 0 ? line : indent + line)).join('\n');
}

/** The Playground's schema asks for exactly this many other users (fewer, or more, and it exits after "Listening"). */
const OTHER_USERS = 5;

/** The Playground's users file: `as` is the current user, and five others of the directory, those of the same areas first. */
export function usersFile(people: Person[], as: Person, areaOf: (p: Person) => string[]): string {
  const mine = new Set(areaOf(as));
  const others = people
    .filter((p) => p.email !== as.email)
    .map((p, i) => ({ p, i, near: areaOf(p).some((a) => mine.has(a)) ? 0 : 1 }))
    .sort((x, y) => x.near - y.near || x.i - y.i)
    .slice(0, OTHER_USERS)
    .map((x) => x.p);
  if (others.length < OTHER_USERS) throw new Error(`the Playground needs ${OTHER_USERS} other users: the directory has fewer people`);
  return [
    '# Written by npm run playground (scripts/playground.ts): the people of the directory, signed in as one of them.',
    'version: "0.1.1"',
    `tenantId: ${PLAYGROUND_TENANT}`,
    'bot:',
    '  id: 00000000-0000-0000-0000-00000000000011',
    '  name: Care Home Huddle',
    'currentUser:',
    `  ${userYaml(as, 0, '  ')}`,
    'users:',
    ...others.map((p, i) => `  - ${userYaml(p, i + 1, '    ')}`),
    'personalChat:',
    '  id: __PERSONAL_CHAT_ID__',
    'groupChat:',
    '  id: __GROUP_CHAT_ID__',
    '  name: Improvement planning',
    'team:',
    '  id: team-id',
    '  name: Support team',
    '  aadGroupId: 00000000-0000-0000-0000-000000000031',
    '  channels:',
    '    - id: channel-support-id',
    '      name: Huddles',
    '',
  ].join('\n');
}

function argAs(argv: string[]): string {
  const i = argv.indexOf('--as');
  if (i >= 0 && !argv[i + 1]) throw new Error('--as needs an e-mail of examples/directory.json');
  return (i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--as='))?.slice(5)) ?? DEFAULT_AS;
}

async function main(): Promise<void> {
  const asEmail = argAs(process.argv.slice(2)).trim().toLowerCase();
  const allowed = [process.env.ALLOWED_TENANTS, PLAYGROUND_TENANT].filter(Boolean).join(',');
  const host = await startHost({ env: { ...process.env, MicrosoftAppId: '', ALLOWED_TENANTS: allowed, PORT: process.env.PORT ?? '3978' } });
  let current = await host.ctx.directory.load();
  if (current.people.length === 0) {
    const example = validateDirectory(JSON.parse(readFileSync(path.join(__dirname, '../examples/directory.json'), 'utf8')));
    if (!example.ok) throw new Error('examples/directory.json is not valid');
    await host.ctx.directory.importDirectory(example.directory);
    current = await host.ctx.directory.load();
    process.stderr.write('Imported examples/directory.json.\n');
  }
  const as = current.people.find((p) => p.email.toLowerCase() === asEmail);
  if (!as) {
    await host.stop();
    throw new Error(`${asEmail} is not in the directory; try one of: ${current.people.map((p) => p.email).join(', ')}`);
  }
  const areaOf = (p: Person) => p.roles.map((r) => (r.home ? current.homes.find((h) => h.id === r.home)?.area : r.area)).filter((a): a is string => !!a);
  writeFileSync(USERS_FILE, usersFile(current.people, as, areaOf));
  const roles = as.roles.map((r) => `${r.role} of ${r.home ?? r.area ?? 'all'}`).join(', ');
  process.stderr.write(`The Playground signs in as ${as.name} <${as.email}> (${roles}); users file ${path.basename(USERS_FILE)}.\n`);
  const bin = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  const playground = spawn(process.execPath, [bin, 'start', '-e', `${host.url}/api/messages`, '-c', 'msteams'], {
    stdio: 'inherit',
    cwd: path.dirname(USERS_FILE),
    env: { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: USERS_FILE, TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none' },
  });
  const stop = () => {
    playground.kill('SIGINT');
    void host.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  playground.once('exit', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`playground failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
