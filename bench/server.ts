/** Starts bench/serve.ts (the real app, or the bare teams-ai baseline) in a process of its own, tsx as its loader. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface BenchServer {
  url: string;
  child: ChildProcess;
}

/** Resolves with the server's URL; every other line it prints goes to `onLine`. Extra node flags in `nodeArgs`. */
export function startServer(kind: 'app' | 'baseline', env: NodeJS.ProcessEnv, onLine: (line: string) => void = () => undefined, nodeArgs: string[] = []): Promise<BenchServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, 'serve.ts'), kind], {
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
