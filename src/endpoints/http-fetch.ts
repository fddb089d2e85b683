import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

/**
 * A small `fetch` over node:http with keep-alive agents, for the openai SDK (its `fetch`
 * option) and the JSON clients. Node's built-in fetch, and even wrapping a buffered body in
 * a WHATWG `Response` (a web stream per reply), cost several times more CPU per request,
 * which matters at thousands of requests a second. So bodies are buffered whole (every
 * reply here is one JSON document) and handed back as a `BufferedReply`: the part of the
 * Response interface that the SDK and the JSON clients read. Anything it does not handle
 * goes to global fetch.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 }),
};

/**
 * `cancel`: a caller's signal that httpFetch watches itself, next to `signal`. A run hands
 * the same signal to every request, so it is watched through one listener (see whenAborted)
 * rather than combined per request (AbortSignal.any, weak references, a finalizer each).
 * `timeoutMs`: the whole exchange, to the last byte of the reply, within this many
 * milliseconds; past it the request is dropped and the promise rejects with a TimeoutError
 * DOMException, as fetch does under `AbortSignal.timeout`. One timer per request, which
 * costs far less than a timeout signal.
 */
export interface HttpFetchInit extends RequestInit {
  cancel?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Replies are buffered whole, so a hostile or broken server could exhaust memory with a
 * giant or endless body: past this size the request is abandoned. Real replies (many
 * samples at once, per-token PRM values of a long response) stay far below it.
 */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export async function httpFetch(input: string | URL | Request, init: HttpFetchInit = {}): Promise<Response> {
  const body = init.body;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  const protocol = url?.startsWith('http://') ? 'http:' : url?.startsWith('https://') ? 'https:' : undefined;
  if (url === undefined || protocol === undefined || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
    const { cancel, timeoutMs, ...rest } = init;
    const signals = [rest.signal, cancel, timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)].filter((s): s is AbortSignal => s != null);
    return fetch(input, { ...rest, ...(signals.length ? { signal: AbortSignal.any(signals) } : {}) });
  }
  const signal = init.signal ?? undefined;
  const cancel = init.cancel;
  if (signal?.aborted || cancel?.aborted) throw abortError();

  const headers = plainHeaders(init.headers);
  const payload = body == null ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  if (payload) headers['content-length'] = String(payload.length);
  const method = init.method ?? 'GET';

  return new Promise<Response>((resolve, reject) => {
    const mod = protocol === 'https:' ? https : http;
    const req = mod.request({ ...targetOf(url), method, headers, agent: agents[protocol] }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (received > MAX_REPLY_BYTES) {
          req.destroy();
          return fail(tooLarge());
        }
        chunks.push(c);
      });
      res.on('error', (e) => fail(terminated(e)));
      res.on('aborted', () => fail(terminated()));
      res.on('end', () => {
        if (!res.complete) return fail(terminated());
        if (settled) return;
        settled = true;
        cleanup();
        const status = res.statusCode ?? 500;
        const noBody = status === 204 || status === 304 || method === 'HEAD';
        const bytes = noBody ? Buffer.alloc(0) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        resolve(new BufferedReply(url, status, res.statusMessage ?? '', res.headers, bytes) as unknown as Response);
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
    req.end(payload);
  });
}

/**
 * Where a URL points, as node:http takes it. A run sends every request to a handful of
 * URLs, so each is parsed once rather than once per request.
 */
const targets = new Map<string, http.RequestOptions>();
function targetOf(url: string): http.RequestOptions {
  let t = targets.get(url);
  if (!t) {
    t = urlToHttpOptions(new URL(url));
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

/** A connection failure whose cause says why, as error messages show it. */
function tooLarge(): TypeError {
  return new TypeError('fetch failed', { cause: new Error(`reply larger than ${MAX_REPLY_BYTES} bytes; stopped reading`) });
}

function terminated(cause?: Error): TypeError {
  return new TypeError('terminated', cause ? { cause } : {});
}
