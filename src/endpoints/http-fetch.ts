import http from 'node:http';
import https from 'node:https';

/**
 * A small `fetch` over node:http with keep-alive agents, for the openai SDK (its `fetch`
 * option) and the JSON clients. Node's built-in fetch costs several times more CPU per
 * request, which matters at hundreds of requests in flight. Bodies are buffered whole:
 * every reply here is one JSON document. Anything it does not handle goes to global fetch.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 }),
};

export async function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  if (input instanceof Request || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
    return fetch(input, init);
  }
  const url = new URL(String(input));
  const protocol = url.protocol as 'http:' | 'https:';
  if (!(protocol in agents)) return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortError();

  const headers: Record<string, string> = {};
  const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
  given.forEach((value, key) => {
    headers[key] = value;
  });
  const payload = body == null ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  if (payload) headers['content-length'] = String(payload.length);

  return new Promise<Response>((resolve, reject) => {
    const mod = protocol === 'https:' ? https : http;
    const req = mod.request(url, { method: init.method ?? 'GET', headers, agent: agents[protocol] }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => fail(terminated(e)));
      res.on('aborted', () => fail(terminated()));
      res.on('end', () => {
        if (!res.complete) return fail(terminated());
        cleanup();
        const status = res.statusCode ?? 500;
        const pairs: [string, string][] = [];
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const one of v) pairs.push([k, one]);
          else if (v !== undefined) pairs.push([k, v]);
        }
        const noBody = status === 204 || status === 304 || init.method === 'HEAD';
        resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: pairs }));
      });
    });
    const onAbort = () => {
      req.destroy();
      fail(abortError());
    };
    const cleanup = () => signal?.removeEventListener('abort', onAbort);
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

function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}

/** Shaped like undici's errors, so callers see one kind of failure whichever fetch ran. */
function connectionFailed(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}

function terminated(cause?: Error): TypeError {
  return new TypeError('terminated', cause ? { cause } : {});
}
