/**
 * A TCP proxy on loopback in front of the test Azurite: passes bytes both ways until told to `hold()`; then
 * what clients send is kept (the request is on the wire, storage has not seen it) until `release()`, which
 * delivers it — even when the client gave up meanwhile, as a request already sent would still arrive.
 */
import net from 'node:net';

export class StallProxy {
  private server?: net.Server;
  private holding: false | 'all' | 'writes' = false;
  private readonly held = new Set<() => void>();
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.upstreamPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      let clientGone = false;
      const queue: Buffer[] = [];
      let flushing = false;
      const flush = () => {
        while (queue.length) upstream.write(queue.shift()!);
      };
      const release = () => {
        this.held.delete(release);
        flushing = true;
        flush();
        flushing = false;
      };
      client.on('data', (d) => {
        const write = /^(POST|PUT|MERGE|PATCH|DELETE) /.test(d.subarray(0, 8).toString('latin1'));
        if (queue.length || this.holding === 'all' || (this.holding === 'writes' && write)) {
          queue.push(d);
          this.held.add(release);
        } else upstream.write(d);
      });
      upstream.on('data', (d) => {
        if (!clientGone) client.write(d);
        else setTimeout(() => upstream.destroy(), 200);
      });
      const closeClient = () => {
        clientGone = true;
        // A held request goes on to storage on release; otherwise the upstream closes with its client.
        if (!queue.length && !flushing) upstream.destroy();
      };
      client.on('close', closeClient);
      client.on('error', () => undefined);
      upstream.on('close', () => client.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
    return this;
  }

  /** Keeps every request from now on ('writes': only requests that change something; reads pass). */
  hold(what: 'all' | 'writes' = 'all'): void {
    this.holding = what;
  }

  /** Passes again, and delivers what was kept. */
  release(): void {
    this.holding = false;
    for (const r of [...this.held]) r();
  }

  async stop(): Promise<void> {
    this.release();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** The test Azurite's connection string with its Table (and Queue) endpoint on the proxy. */
export function throughProxy(connectionString: string, tablePort: number, proxyPort: number): string {
  return connectionString.replace(`:${tablePort}/`, `:${proxyPort}/`);
}
