/**
 * A proxy in front of the test server that spoils a share of the requests at random, with
 * every kind of failure a real endpoint shows (429 with Retry-After, 500, 503, reset, hang,
 * malformed JSON, empty choices, a body cut short), and adds random latency to the rest.
 * It counts what it delivered, so a soak test can tell paid responses from lost ones.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ChaosFault = 'status-429' | 'status-500' | 'status-503' | 'reset' | 'hang' | 'malformed' | 'empty' | 'truncated';
export const CHAOS_FAULTS: readonly ChaosFault[] = ['status-429', 'status-500', 'status-503', 'reset', 'hang', 'malformed', 'empty', 'truncated'];

export interface ChaosOptions {
  /** Where good requests go (the test server's root URL). */
  upstream: string;
  /** Share of requests spoiled, 0..1. */
  faultRate: number;
  latencyMs: [number, number];
  /** Seeded, so a failing soak can be replayed. */
  random: () => number;
  /** The kinds to draw from; all of them when absent. */
  faults?: readonly ChaosFault[];
}

export interface ChaosStats {
  received: number;
  faults: Record<ChaosFault, number>;
  /** Policy samples in complete 200 replies that reached the client: what a real server bills. */
  samplesDelivered: number;
  inFlight: number;
  /** When each policy reply was delivered (ms since epoch) and with how many samples. */
  deliveries: { at: number; samples: number }[];
}

export interface ChaosProxy {
  url: string;
  stats: ChaosStats;
  /** Policy requests in flight right now, and their samples. */
  policyInFlight(): number;
  close(): Promise<void>;
}

export async function startChaosProxy(o: ChaosOptions): Promise<ChaosProxy> {
  const stats: ChaosStats = {
    received: 0,
    faults: Object.fromEntries(CHAOS_FAULTS.map((f) => [f, 0])) as Record<ChaosFault, number>,
    samplesDelivered: 0,
    inFlight: 0,
    deliveries: [],
  };
  const policyFlight = new Map<http.ServerResponse, number>();
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(o.random() * xs.length)]!;

  function fault(kind: ChaosFault, req: http.IncomingMessage, res: http.ServerResponse, route: string): void {
    stats.faults[kind]++;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    switch (kind) {
      case 'status-429':
        return json(429, { error: { message: 'rate limited', type: 'rate_limit', code: '429' } }, { 'retry-after': '0' });
      case 'status-500':
        return json(500, { error: { message: 'internal error', type: 'server_error', code: '500' } });
      case 'status-503':
        return json(503, { object: 'error', message: 'overloaded', code: 503 });
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // until the client's time limit fires
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "x", "choices": [{"index": 0, "mess');
        return;
      case 'empty':
        return json(200, route.startsWith('/v1/') ? { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] } : { step_scores: [] });
      case 'truncated': {
        const full = JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'cut' }, finish_reason: 'stop' }] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(full) });
        res.write(full.slice(0, full.length >> 1));
        setImmediate(() => req.socket.destroy());
        return;
      }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.received++;
      stats.inFlight++;
      const route = (req.url ?? '/').split('?')[0]!;
      const isPolicy = route === '/v1/chat/completions' || route === '/v1/completions';
      const body = Buffer.concat(chunks);
      if (isPolicy) {
        let n = 1;
        try {
          n = (JSON.parse(body.toString('utf8')) as { n?: number }).n ?? 1;
        } catch {
          /* counted as one */
        }
        policyFlight.set(res, n);
      }
      res.on('close', () => {
        stats.inFlight--;
        policyFlight.delete(res);
      });
      const [lo, hi] = o.latencyMs;
      const delay = lo + o.random() * (hi - lo);
      setTimeout(() => {
        if (res.destroyed) return;
        if (o.random() < o.faultRate) return fault(pick(o.faults ?? CHAOS_FAULTS), req, res, route);
        const up = http.request(
          `${o.upstream}${req.url}`,
          { method: req.method, headers: { ...req.headers, host: new URL(o.upstream).host, 'content-length': body.length }, agent },
          (upRes) => {
            const parts: Buffer[] = [];
            upRes.on('data', (c: Buffer) => parts.push(c));
            upRes.on('end', () => {
              const text = Buffer.concat(parts);
              res.writeHead(upRes.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': text.length });
              res.end(text, () => {
                if (!isPolicy || upRes.statusCode !== 200) return;
                let samples = 0;
                try {
                  samples = (JSON.parse(text.toString('utf8')) as { choices?: unknown[] }).choices?.length ?? 0;
                } catch {
                  samples = 0;
                }
                stats.samplesDelivered += samples;
                stats.deliveries.push({ at: Date.now(), samples });
              });
            });
          },
        );
        up.on('error', () => res.destroy());
        up.end(body);
      }, delay);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    policyInFlight: () => [...policyFlight.values()].reduce((a, n) => a + n, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
