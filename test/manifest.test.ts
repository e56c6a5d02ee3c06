/** The Teams app package: the manifest validates offline against the schema shipped in @microsoft/app-manifest. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { buildPackage, fillManifest } from '../scripts/package';

const root = path.join(__dirname, '..');
const raw = readFileSync(path.join(root, 'appPackage/manifest.json'), 'utf8');
const version = (JSON.parse(raw) as { manifestVersion: string }).manifestVersion;
const schemas = path.join(root, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');
const schema = JSON.parse(readFileSync(path.join(schemas, `v${version}/MicrosoftTeams.schema.json`), 'utf8'));
/** The newest released schema the package ships (vDevPreview is not a release). */
const newest = readdirSync(schemas)
  .filter((d) => /^v\d+\.\d+$/.test(d))
  .map((d) => d.slice(1))
  .sort((a, b) => { const [x, y] = [a, b].map((v) => v.split('.').map(Number)); return x[0] - y[0] || x[1] - y[1]; })
  .at(-1);
const env = { TEAMS_APP_ID: '3a8f1b7e-2c44-4f0e-8d7e-6f1f0b2d9c11', BOT_ID: '9b2c6d1e-4f3a-4b5c-8d7e-1a2b3c4d5e6f', BOT_DOMAIN: 'huddle.azurewebsites.net', APP_NAME_SUFFIX: '' };

const validate = () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
};

const pngSize = (buf: Buffer) => ({ signature: buf.subarray(1, 4).toString('ascii'), width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) });

it('validates against the Teams schema of its manifestVersion once the toolkit fills the placeholders', () => {
  const check = validate();
  const ok = check(JSON.parse(fillManifest(raw, env).manifest));
  expect(check.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
});

it('is on the newest schema @microsoft/app-manifest ships, and may be added to private and shared channels', () => {
  const m = JSON.parse(fillManifest(raw, env).manifest);
  expect(version).toBe(newest);
  expect(m.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`);
  expect(m.supportsChannelFeatures).toBe('tier1');
  expect(m.supportedChannelTypes.sort()).toEqual(['privateChannels', 'sharedChannels']);
});

it('declares what the features need: bot scopes, the commands, meeting RSC, valid domains', () => {
  const m = JSON.parse(fillManifest(raw, env).manifest);
  expect(m.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  const commands = m.bots[0].commandLists.flatMap((l: { commands: { title: string }[] }) => l.commands.map((c) => c.title));
  expect(new Set(commands)).toEqual(new Set(['help', 'huddle', 'raise concern', 'plan', 'link area', 'export']));
  // the export in 1:1 chat sends its file through Teams' file consent flow (§6a)
  expect(m.bots[0].supportsFiles).toBe(true);
  const rsc = m.authorization.permissions.resourceSpecific.map((p: { name: string }) => p.name);
  expect(rsc).toEqual(expect.arrayContaining(['OnlineMeeting.ReadBasic.Chat', 'ChannelMeeting.ReadBasic.Group']));
  expect(m.validDomains).toEqual(['huddle.azurewebsites.net']);
});

it('refuses a manifest that breaks the schema (the check is real)', () => {
  const check = validate();
  const broken = JSON.parse(fillManifest(raw, env).manifest);
  delete broken.icons;
  broken.bots[0].scopes = ['everywhere'];
  expect(check(broken)).toBe(false);
});

it('has icons of the sizes Teams asks for: color 192×192, outline 32×32 with transparency', () => {
  expect(pngSize(readFileSync(path.join(root, 'appPackage/color.png')))).toEqual({ signature: 'PNG', width: 192, height: 192 });
  const outline = readFileSync(path.join(root, 'appPackage/outline.png'));
  expect(pngSize(outline)).toEqual({ signature: 'PNG', width: 32, height: 32 });
  expect(outline[25]).toBe(6); // colour type RGBA: transparent background
});

it('npm run package writes a zip with the filled manifest and both icons', async () => {
  const { file, local } = await buildPackage(env);
  expect(local).toEqual([]);
  const zip = await JSZip.loadAsync(readFileSync(file));
  expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  expect(manifest.id).toBe(env.TEAMS_APP_ID);
  expect(JSON.stringify(manifest)).not.toContain('${{');
  expect(validate()(manifest)).toBe(true);
});
