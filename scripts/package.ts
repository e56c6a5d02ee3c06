/**
 * npm run package: appPackage/build/appPackage.zip with the manifest's ${{…}} placeholders filled from the
 * environment (as the Agents Toolkit does). Missing values get local placeholders, and say so.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

const dir = path.join(__dirname, '../appPackage');
const LOCAL: Record<string, string> = {
  TEAMS_APP_ID: '5b0c3f1e-7c1a-4d0e-9a55-2f1a2c3d4e5f',
  BOT_ID: '00000000-0000-0000-0000-000000000000',
  BOT_DOMAIN: 'localhost',
  APP_NAME_SUFFIX: '',
};

/** The manifest with every ${{NAME}} replaced; answers the names that fell back to local values. */
export function fillManifest(text: string, env: NodeJS.ProcessEnv): { manifest: string; local: string[] } {
  const local = new Set<string>();
  const manifest = text.replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (_m, name: string) => {
    if (env[name] !== undefined) return env[name]!;
    if (!(name in LOCAL)) throw new Error(`appPackage/manifest.json uses \${{${name}}}, which is neither set nor known`);
    local.add(name);
    return LOCAL[name];
  });
  return { manifest, local: [...local] };
}

export async function buildPackage(env: NodeJS.ProcessEnv = process.env): Promise<{ file: string; local: string[] }> {
  const { manifest, local } = fillManifest(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), env);
  const zip = new JSZip();
  zip.file('manifest.json', manifest);
  zip.file('color.png', readFileSync(path.join(dir, 'color.png')));
  zip.file('outline.png', readFileSync(path.join(dir, 'outline.png')));
  mkdirSync(path.join(dir, 'build'), { recursive: true });
  const file = path.join(dir, 'build', 'appPackage.zip');
  writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { file, local };
}

if (require.main === module) {
  buildPackage()
    .then(({ file, local }) => {
      if (local.length) process.stderr.write(`Not set, so local placeholders were used: ${local.join(', ')} (set them for a real tenant).\n`);
      process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    });
}
