/** Starts bench/serve.ts (the real app, or the bare teams-ai baseline) in a process of its own, tsx as its loader. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The node flags production runs the app with (`npm run start:prod` in package.json: a larger young generation, so a
 * request's objects die young instead of being promoted; bench/README.md, P1 steady). The app's bench servers run
 * with them too; the bare teams-ai baseline with node's defaults.
 */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts['start:prod'].split(/\s+/).filter((a) => a.startsWith('--'));
}

export interface BenchServer {
  url: string;
  child: ChildProcess;
}

/** Resolves with the server's URL; every other line it prints goes to `onLine`. Extra node flags in `nodeArgs`. */
export function startServer(kind: 'app' | 'baseline', env: NodeJS.ProcessEnv, onLine: (line: string) => void = () => undefined, nodeArgs: string[] = []): Promise<BenchServer> {
  const flags = kind === 'app' ? productionNodeFlags() : [];
  const child = spawn(process.execPath, [...flags, ...nodeArgs, '--import', 'tsx', path.join(__dirname, 'serve.ts'), kind], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const url = /^URL (\S+)/.exec(line);
        if (url) resolve({ url: url[1], child });
        else onLine(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}
