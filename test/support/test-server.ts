/**
 * A local model server for tests and benchmarks: Node `http` on 127.0.0.1 at a random
 * port, speaking the documented reply shapes of the OpenAI chat/completions routes and of
 * vLLM's /pooling, /tokenize, /v1/embeddings and /classify routes, plus the project's
 * http-json PRM and reward contracts. Latency, capacity (requests served at once; the rest
 * wait in line) and faults are settable while it runs.
 *
 *   const server = await startTestServer({ latencyMs: 20 });
 *   new PolicySampler({ baseURL: server.v1, model: 'm' });     // OpenAI routes
 *   new QwenPrmClient({ baseURL: server.url, model: 'prm' });  // vLLM routes
 *   server.setFaults({ kind: 'status', status: 429, retryAfter: '1', times: 2 });
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Route =
  | '/v1/chat/completions'
  | '/v1/completions'
  | '/pooling'
  | '/tokenize'
  | '/v1/embeddings'
  | '/classify'
  | '/prm'
  | '/reward';

export type Fault =
  /** Answer with this status (and Retry-After, if given). `echoHeaders` puts the request headers in the body, as a careless proxy might. */
  | { kind: 'status'; status: number; retryAfter?: string; echoHeaders?: boolean }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Never answer (the client's timeout must fire). */
  | { kind: 'hang' }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** 200 with an empty `choices` (or `data`) list. */
  | { kind: 'empty' }
  /** 200 whose body stops half way (Content-Length promises more). */
  | { kind: 'truncated' };

export type FaultRule = Fault & {
  /** Only requests to this route; all routes when absent. */
  route?: Route;
  /** How many requests this rule spoils (default 1). */
  times?: number;
};

export interface PolicyRequest {
  route: '/v1/chat/completions' | '/v1/completions';
  /** The user message (chat) or the prompt (completions). */
  prompt: string;
  n: number;
  body: Record<string, unknown>;
}

export interface PolicyChoice {
  text: string;
  finishReason?: string;
}

export interface TestServerOptions {
  latencyMs?: number;
  /** Requests processed at once; more wait in line (like a GPU server's batch limit). */
  capacity?: number;
  /** What `n` > 1 does: served (default), refused with 400, or ignored (one choice back). */
  nMode?: 'honour' | 'reject' | 'ignore';
  /** Texts for a policy request; default: a short deterministic solution per choice. */
  policy?: (req: PolicyRequest) => (string | PolicyChoice)[];
  /** Step scores for /pooling with `<extra_0>` tags and for /prm; default 0.5 each. */
  stepScores?: (question: string, steps: string[]) => number[];
  /** Per-token values for /v1/embeddings and /pooling with token ids; default 0 (sigmoid 0.5). */
  tokenValues?: (ids: number[]) => number[];
  /** Class probabilities for /classify; default [0.3, 0.7]. */
  classProbs?: (messages: unknown) => number[];
  /** Score for /reward and for /pooling with chat messages; default 0.5. */
  rewardScore?: (question: string, response: string) => number;
  /** Keep the last N requests (method, path, headers, body) in `requests`; default 1000, 0 = none. */
  record?: number;
  /**
   * The model's chat template, as a vLLM server applies it to a chat request's messages
   * before sampling; the rendered prompts are kept in `renderedPrompts` and `prompt_tokens`
   * counts them. Without it the prompt is the last user message.
   */
  chatTemplate?: (messages: { role: string; content: string }[]) => string;
}

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface TestServerStats {
  /** Requests received, by route. */
  received: Record<string, number>;
  /** Requests answered with 200 and a complete body, by route. */
  completed: Record<string, number>;
  /** Policy samples (choices) delivered in complete 200 replies: what a real server bills. */
  samplesServed: number;
  faultsServed: number;
  inFlight: number;
  maxInFlight: number;
}

export interface TestServer {
  /** Server root, e.g. `http://127.0.0.1:41234` (vLLM routes hang off it). */
  url: string;
  /** `url + '/v1'`: the baseURL an OpenAI client wants. */
  v1: string;
  stats: TestServerStats;
  requests: RecordedRequest[];
  /** The prompts chat requests were rendered to (with `chatTemplate`), in arrival order. */
  renderedPrompts: string[];
  setFaults(...rules: FaultRule[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** The fake tokenizer behind /tokenize: one id per UTF-16 code unit, BOS = 1. */
export const FAKE_BOS = 1;
export function fakeTokenize(text: string, addSpecial: boolean): number[] {
  const ids = addSpecial ? [FAKE_BOS] : [];
  for (let i = 0; i < text.length; i++) ids.push(text.charCodeAt(i) + 100);
  return ids;
}

const QWEN_TAG = '<extra_0>';

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let latency = options.latencyMs ?? 0;
  const capacity = options.capacity ?? Infinity;
  const keep = options.record ?? 1000;
  let faults: FaultRule[] = [];
  let busy = 0;
  const waiting: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  const renderedPrompts: string[] = [];
  const stats: TestServerStats = { received: {}, completed: {}, samplesServed: 0, faultsServed: 0, inFlight: 0, maxInFlight: 0 };
  let seq = 0;

  const takeFault = (route: string): Fault | undefined => {
    const i = faults.findIndex((f) => (f.times ?? 1) > 0 && (!f.route || f.route === route));
    if (i < 0) return undefined;
    const rule = faults[i]!;
    rule.times = (rule.times ?? 1) - 1;
    stats.faultsServed++;
    return rule;
  };

  const acquire = async () => {
    if (busy < capacity) {
      busy++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const route = (req.url ?? '/').split('?')[0]!;
    stats.received[route] = (stats.received[route] ?? 0) + 1;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    await acquire();
    try {
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      if (closed) return;
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { object: 'error', message: 'body is not JSON', type: 'BadRequestError', code: 400 });
      }
      if (keep > 0) {
        requests.push({ path: route, headers: req.headers, body });
        if (requests.length > keep) requests.shift();
      }
      const fault = takeFault(route);
      if (fault) return serveFault(req, res, fault, route);
      const reply = answer(route, body);
      if (!reply) return send(res, 404, { object: 'error', message: `no route ${route}`, type: 'NotFoundError', code: 404 });
      if (reply.status !== 200) return send(res, reply.status, reply.json);
      send(res, 200, reply.json, () => {
        stats.completed[route] = (stats.completed[route] ?? 0) + 1;
        stats.samplesServed += reply.samples ?? 0;
      });
    } finally {
      stats.inFlight--;
      release();
    }
  }

  function send(res: http.ServerResponse, status: number, json: unknown, onDone?: () => void, headers: Record<string, string> = {}) {
    const text = JSON.stringify(json);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    if (onDone) res.on('finish', onDone);
    res.end(text);
  }

  function serveFault(req: http.IncomingMessage, res: http.ServerResponse, fault: Fault, route: string) {
    switch (fault.kind) {
      case 'status': {
        const message = fault.echoHeaders
          ? `rejected; authorization was ${req.headers.authorization ?? 'absent'}; headers ${JSON.stringify(req.headers)}`
          : `injected ${fault.status}`;
        const json = route.startsWith('/v1/')
          ? { error: { message, type: 'error', param: null, code: String(fault.status) } }
          : { object: 'error', message, type: 'error', code: fault.status };
        return send(res, fault.status, json, undefined, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // the socket stays open until the client gives up or the server closes
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "x", "choices": [ {"index": 0, "mess');
        return;
      case 'empty':
        return send(res, 200, route.startsWith('/v1/c') ? { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] } : { id: 'x', object: 'list', created: 0, model: 'm', data: [], usage: { prompt_tokens: 0, total_tokens: 0 } });
      case 'truncated': {
        const full = JSON.stringify(answer(route, {})?.json ?? { data: [] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(full) });
        res.write(full.slice(0, Math.floor(full.length / 2)));
        setImmediate(() => req.socket.destroy());
        return;
      }
    }
  }

  function answer(route: string, body: Record<string, unknown>): { status: number; json: unknown; samples?: number } | undefined {
    const model = typeof body.model === 'string' ? body.model : 'test-model';
    const created = Math.floor(Date.now() / 1000);
    const id = `r-${++seq}`;
    switch (route) {
      case '/v1/chat/completions':
      case '/v1/completions': {
        const chat = route === '/v1/chat/completions';
        const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: string }[]) : [];
        const prompt = chat ? String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '') : String(body.prompt ?? '');
        let n = typeof body.n === 'number' ? body.n : 1;
        if (n > 1 && options.nMode === 'reject') {
          return { status: 400, json: { error: { message: 'n > 1 is not supported', type: 'BadRequestError', param: 'n', code: '400' } } };
        }
        if (options.nMode === 'ignore') n = 1;
        const out = (options.policy?.({ route, prompt, n, body }) ?? defaultTexts(seq, n)).map((c) =>
          typeof c === 'string' ? { text: c, finishReason: 'stop' } : { text: c.text, finishReason: c.finishReason ?? 'stop' },
        );
        const rendered = chat && options.chatTemplate ? options.chatTemplate(messages.map((m) => ({ role: String(m.role), content: String(m.content ?? '') }))) : null;
        if (rendered !== null) renderedPrompts.push(rendered);
        const promptTokens = Math.ceil((rendered ?? prompt).length / 4);
        const completionTokens = out.reduce((a, c) => a + Math.ceil(c.text.length / 4), 0);
        const choices = out.map((c, index) =>
          chat
            ? { index, message: { role: 'assistant', content: c.text }, logprobs: null, finish_reason: c.finishReason }
            : { index, text: c.text, logprobs: null, finish_reason: c.finishReason },
        );
        return {
          status: 200,
          samples: choices.length,
          json: {
            id,
            object: chat ? 'chat.completion' : 'text_completion',
            created,
            model,
            choices,
            usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
          },
        };
      }
      case '/tokenize': {
        const tokens = fakeTokenize(String(body.prompt ?? ''), body.add_special_tokens !== false);
        return { status: 200, json: { count: tokens.length, max_model_len: 32768, tokens, token_strs: null } };
      }
      case '/v1/embeddings':
      case '/pooling': {
        const usage = { prompt_tokens: 1, total_tokens: 1, completion_tokens: 0 };
        const wrap = (data: unknown, object: string) => ({
          status: 200,
          json: { id, object: 'list', created, model, data: [object === 'embedding' ? { index: 0, object, embedding: data } : { index: 0, object, data }], usage },
        });
        const input = body.input;
        if (Array.isArray(input) && input.every((t) => typeof t === 'number')) {
          const ids = input as number[];
          const values = options.tokenValues?.(ids) ?? ids.map(() => 0);
          return wrap(values, route === '/pooling' ? 'pooling' : 'embedding');
        }
        if (route === '/pooling' && typeof input === 'string' && input.includes(QWEN_TAG)) {
          const { question, steps } = parseQwenInput(input);
          const scores = options.stepScores?.(question, steps) ?? steps.map(() => 0.5);
          return wrap(scores.map((p) => [1 - p, p]), 'pooling');
        }
        if (route === '/pooling' && Array.isArray(body.messages)) {
          const m = body.messages as { role: string; content: string }[];
          const score = options.rewardScore?.(m.find((x) => x.role === 'user')?.content ?? '', m.find((x) => x.role === 'assistant')?.content ?? '') ?? 0.5;
          return wrap([score], 'pooling');
        }
        return { status: 400, json: { object: 'error', message: 'unsupported input', type: 'BadRequestError', code: 400 } };
      }
      case '/classify': {
        const probs = options.classProbs?.(body.messages ?? body.input) ?? [0.3, 0.7];
        return {
          status: 200,
          json: { id, object: 'list', created, model, data: [{ index: 0, label: probs.length > 1 ? `LABEL_${probs.length - 1}` : null, probs, num_classes: probs.length }], usage: { prompt_tokens: 1, total_tokens: 1 } },
        };
      }
      case '/prm': {
        const steps = Array.isArray(body.steps) ? (body.steps as string[]) : [];
        const scores = options.stepScores?.(String(body.question ?? ''), steps) ?? steps.map(() => 0.5);
        return { status: 200, json: { step_scores: scores } };
      }
      case '/reward': {
        return { status: 200, json: { score: options.rewardScore?.(String(body.question ?? ''), String(body.response ?? '')) ?? 0.5 } };
      }
      default:
        return undefined;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    v1: `${url}/v1`,
    stats,
    requests,
    renderedPrompts,
    setFaults: (...rules) => {
      faults = rules.map((r) => ({ ...r }));
    },
    setLatency: (ms) => {
      latency = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function defaultTexts(seq: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Step 1: look at case ${seq}.${i}.\n\nStep 2: add.\n\nThe answer is \\boxed{${(seq + i) % 10}}.`);
}

/** Recover the question and steps from the ChatML text a Qwen PRM gets. */
export function parseQwenInput(input: string): { question: string; steps: string[] } {
  const question = /<\|im_start\|>user\n([\s\S]*?)<\|im_end\|>/.exec(input)?.[1] ?? '';
  const answer = /<\|im_start\|>assistant\n([\s\S]*?)<\|im_end\|>/.exec(input)?.[1] ?? '';
  const steps = answer.split(QWEN_TAG).slice(0, -1);
  return { question, steps };
}
