import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

import type { Readable } from 'node:stream';

/**
 * The one HTTP path of every endpoint call (policy, PRM, reward, Batch API): node:http with
 * keep-alive agents. Node's built-in fetch, and even wrapping a buffered body in a WHATWG
 * `Response` (a web stream per reply), cost several times more CPU per request, which
 * matters at thousands of requests a second. So bodies are buffered whole (every reply here
 * is one JSON document) and handed back as a `BufferedReply`, or streamed to a `sink` (a
 * downloaded batch file). Every request gets the same rules: the URL parsed by the WHATWG
 * parser (scheme and host in any case; only http and https), a cap on the reply's size, a
 * time limit, and no redirect followed (a 3xx is handed back as the reply it is).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 }),
};

/**
 * `signal`: a caller's signal for this request alone. `cancel`: a caller's signal that
 * httpFetch watches itself, next to `signal`. A run hands the same signal to every request,
 * so it is watched through one listener (see whenAborted) rather than combined per request
 * (AbortSignal.any, weak references, a finalizer each).
 * `timeoutMs`: the whole exchange, to the last byte of the reply, within this many
 * milliseconds; past it the request is dropped and the promise rejects with a TimeoutError
 * DOMException, as fetch does under `AbortSignal.timeout`. One timer per request, which
 * costs far less than a timeout signal.
 * `maxBytes`: the reply's size cap (MAX_REPLY_BYTES unless given).
 * `sink`: takes the reply's bytes as they arrive instead of buffering them (the reply's
 * body is then empty); reading waits for each write.
 */
export interface HttpFetchInit {
  method?: string;
  headers?: HeadersInit;
  body?: string | Uint8Array | Readable | null;
  signal?: AbortSignal | null;
  cancel?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  sink?: (chunk: Buffer) => Promise<void>;
}

/**
 * Replies are buffered whole, so a hostile or broken server could exhaust memory with a
 * giant or endless body: past this size the request is abandoned. Real replies (many
 * samples at once, per-token PRM values of a long response) stay far below it.
 */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export async function httpFetch(input: string | URL, init: HttpFetchInit = {}): Promise<BufferedReply> {
  const target = targetOf(typeof input === 'string' ? input : input.href);
  const url = target.href;
  const signal = init.signal ?? undefined;
  const cancel = init.cancel;
  if (signal?.aborted || cancel?.aborted) throw abortError();

  const headers = plainHeaders(init.headers);
  const body = init.body;
  const payload = body == null ? undefined : typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : undefined;
  if (payload) headers['content-length'] = String(payload.length);
  const method = init.method ?? 'GET';
  const maxBytes = init.maxBytes ?? MAX_REPLY_BYTES;
  const sink = init.sink;

  return new Promise<BufferedReply>((resolve, reject) => {
    const mod = target.protocol === 'https:' ? https : http;
    const req = mod.request({ ...target.options, method, headers, agent: agents[target.protocol] }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let writing: Promise<void> = Promise.resolve();
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (received > maxBytes) {
          req.destroy();
          return fail(tooLarge(maxBytes));
        }
        if (!sink) return void chunks.push(c);
        res.pause();
        writing = writing.then(() => sink(c)).then(() => void res.resume(), (e: unknown) => {
          req.destroy();
          fail(e);
        });
      });
      res.on('error', (e) => fail(terminated(e)));
      res.on('aborted', () => fail(terminated()));
      res.on('end', () => {
        if (!res.complete) return fail(terminated());
        void writing.then(() => {
          if (settled) return;
          settled = true;
          cleanup();
          const status = res.statusCode ?? 500;
          const noBody = status === 204 || status === 304 || method === 'HEAD' || sink !== undefined;
          const bytes = noBody ? Buffer.alloc(0) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          resolve(new BufferedReply(url, status, res.statusMessage ?? '', res.headers, bytes));
        });
      });
    });
    const onAbort = () => {
      req.destroy();
      fail(abortError());
    };
    const unwatch = cancel ? whenAborted(cancel, onAbort) : undefined;
    const timer =
      init.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            req.destroy();
            fail(timeoutError());
          }, init.timeoutMs);
    const cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      unwatch?.();
      clearTimeout(timer);
    };
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(e);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => fail(connectionFailed(e)));
    if (body != null && payload === undefined) {
      const stream = body as Readable;
      stream.on('error', (e) => {
        req.destroy();
        fail(connectionFailed(e));
      });
      stream.pipe(req);
    } else req.end(payload);
  });
}

/**
 * Where a URL points, as node:http takes it, parsed by the WHATWG parser: scheme and host
 * lower-cased (`HTTP://Host` is `http://host`), so the URL requested is the one approved
 * (see canonicalUrl). Any scheme but http and https is refused. A run sends every request
 * to a handful of URLs, so each is parsed once rather than once per request.
 */
interface Target {
  href: string;
  protocol: 'http:' | 'https:';
  options: http.RequestOptions;
}
const targets = new Map<string, Target>();
function targetOf(url: string): Target {
  let t = targets.get(url);
  if (!t) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TypeError(`not a URL: ${url}`);
    }
    const protocol = parsed.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') throw new TypeError(`only http and https URLs are requested, not ${protocol} (${parsed.href})`);
    t = { href: parsed.href, protocol, options: urlToHttpOptions(parsed) };
    if (targets.size >= 256) targets.clear();
    targets.set(url, t);
  }
  return t;
}

/**
 * Callbacks waiting on one signal, with a single listener on it. A run hands the same
 * signal to hundreds of requests at once, and an EventTarget checks each new listener
 * against all it holds, so per-request listeners would cost O(requests in flight) each.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

function whenAborted(signal: AbortSignal, fn: () => void): () => void {
  let set = waiting.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    waiting.set(signal, (set = callbacks));
    signal.addEventListener('abort', () => {
      waiting.delete(signal);
      for (const f of callbacks) f();
    }, { once: true });
  }
  set.add(fn);
  return () => set.delete(fn);
}

/** Request headers as node:http wants them, from any form `fetch` accepts. */
export function plainHeaders(given: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (given == null) return out;
  if (given instanceof Headers) {
    given.forEach((value, key) => {
      out[key] = value;
    });
  } else if (Array.isArray(given)) {
    for (const [key, value] of given) out[key!.toLowerCase()] = value!;
  } else {
    for (const key of Object.keys(given)) out[key.toLowerCase()] = (given as Record<string, string>)[key]!;
  }
  return out;
}

/**
 * A complete reply held in memory: status, headers and the body as text, JSON or bytes.
 * Readable once, like a Response. `body` is null (nothing is left to stream).
 */
export class BufferedReply {
  readonly ok: boolean;
  readonly headers: ReplyHeaders;
  readonly body = null;
  readonly redirected = false;
  readonly type = 'basic';
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: http.IncomingHttpHeaders,
    private readonly content: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new ReplyHeaders(headers);
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.content;
  }

  async text(): Promise<string> {
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }
}

/** Read-only reply headers over node's lower-cased header object, with the Headers methods callers use. */
export class ReplyHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    return this.raw['set-cookie'] ?? [];
  }

  *entries(): IterableIterator<[string, string]> {
    for (const key of Object.keys(this.raw).sort()) {
      const v = this.get(key);
      if (v !== null) yield [key, v];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(fn: (value: string, key: string, parent: ReplyHeaders) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}

function timeoutError(): Error {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/** A rejection of httpFetch for its `timeoutMs` (or fetch's for `AbortSignal.timeout`). */
export function isTimeout(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'TimeoutError';
}

/** Shaped like undici's errors, so callers see one kind of failure whichever fetch ran. */
function connectionFailed(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** A reply past its size cap: reading stopped, and the request failed with this. */
export class ReplyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`reply larger than ${maxBytes} bytes; stopped reading`);
    this.name = 'ReplyTooLarge';
  }
}

function tooLarge(maxBytes: number): ReplyTooLarge {
  return new ReplyTooLarge(maxBytes);
}

function terminated(cause?: Error): TypeError {
  return new TypeError('terminated', cause ? { cause } : {});
}
