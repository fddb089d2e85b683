/**
 * A local server that behaves like a current vLLM OpenAI-compatible server for one served
 * model, so a client that a real vLLM would reject fails here too. Checked against vLLM's
 * source (see docs/endpoints.md, "Conformance"):
 * - routes exist per served task (`register_pooling_api_routers`): a generate model has the
 *   chat/completions routes and no pooling; a pooling model has `/pooling`, `/classify`
 *   only for classify models, `/v1/embeddings` only for embed models (Skywork's v0.6 plugin
 *   is the `legacy` option); other routes answer FastAPI's `{"detail": "Not Found"}` 404;
 * - `model` must be the served name (404 `NotFoundError`);
 * - `max_model_len` is enforced with vLLM's 400 messages, counted with the real Qwen2 BPE;
 * - errors are nested `{"error": {...}}` (current) or flat `{"object": "error", ...}` (old);
 * - pooling activation per task: Qwen2.5-Math-PRM's head applies softmax over 2 labels at
 *   each `<extra_0>`; a one-output `token_classify` head (Skywork ports) applies a sigmoid
 *   unless `use_activation: false`; `task: "encode"` and tasks the model lacks are 400s;
 * - `seed` honoured: choice i of a request uses `seed + i`, so the same seed and prompt give
 *   the same texts, and no seed gives fresh ones.
 * `runBatch` is the `vllm run-batch` emulation over the same model.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { hashString, seededRandom } from '../../src/core/random';
import { QWEN_PRM_STEP_TAG_ID, qwen2Decode, qwen2Encode, qwen2TokenStrs } from './qwen2-tokenizer';

/** What the server was started with, as `vllm serve` would resolve it. */
export type ServedKind =
  /** A chat model (`generate`): /v1/chat/completions, /v1/completions. */
  | 'generate'
  /** Qwen2.5-Math-PRM (Qwen2ForProcessRewardModel): /pooling, step pooling at `<extra_0>`, softmax. */
  | 'qwen-prm'
  /** Skywork-o1-Open-PRM through a current port: /pooling, `token_classify`, one value per token, sigmoid. */
  | 'skywork-prm'
  /** Skywork's own v0.6 plugin: /v1/embeddings only, the raw value head per token. */
  | 'skywork-prm-legacy'
  /** A sequence classifier: /classify and /pooling. */
  | 'classify';

export interface GenerateRequest {
  prompt: string;
  /** The seed this choice was drawn with (`seed + i`), or a fresh random one. */
  seed: number;
  /** The choice's index in its request. */
  index: number;
}

export interface VllmServerOptions {
  kind: ServedKind;
  /** `--served-model-name`; the only `model` the server accepts. */
  servedModelName: string;
  /** `--max-model-len`; default 4096. */
  maxModelLen?: number;
  /** `nested` (current releases, default) or `flat` (older ones). */
  errorShape?: 'nested' | 'flat';
  /** Text of one choice; default: a short solution drawn from the seed and the prompt. */
  generate?: (req: GenerateRequest) => string;
  /** Some OpenAI-compatible servers refuse `n` > 1: this message comes back as a 400 with `param: "n"`. */
  refuseNWith?: string;
  /** Qwen PRM: p(positive) of step `index` (its text) of a response to `question`. */
  stepProbability?: (question: string, stepText: string, index: number) => number;
  /** Skywork: the raw value head output at a step token, given the step's text. */
  stepLogit?: (stepText: string, index: number) => number;
  /** Skywork: the raw value at every other token (default 2.5, i.e. sigmoid 0.92), so a misread shows. */
  offStepLogit?: number;
  /** classify: class probabilities of an input. */
  classProbs?: (input: string) => number[];
  /** How long the server takes to answer its `n`-th POST (from 0), as a loaded GPU would; default 0. */
  replyDelayMs?: (n: number) => number;
}

export interface Reply {
  status: number;
  json: unknown;
}

export interface VllmServer {
  url: string;
  v1: string;
  /** Every request received: path and body. */
  requests: { path: string; body: unknown }[];
  /** Every POST reply the server handed to the client's connection whole (a cut request's is not), in order. */
  replies: { path: string; json: unknown; at: number }[];
  close(): Promise<void>;
}

/** The id of `"\n"`, the token Skywork's value head is read at. */
export const QWEN2_NEWLINE_ID = 198;

const ASSISTANT_TURN = '<|im_start|>assistant\n';

const SERVED_TASKS: Record<ServedKind, readonly string[]> = {
  generate: ['generate'],
  'qwen-prm': ['token_classify'],
  'skywork-prm': ['token_classify'],
  'skywork-prm-legacy': ['embed'],
  classify: ['classify', 'token_classify'],
};

/** The served model's request handling, shared by the HTTP server and the run-batch emulation. */
export function vllmModel(options: VllmServerOptions) {
  const maxModelLen = options.maxModelLen ?? 4096;
  const tasks = SERVED_TASKS[options.kind];
  const isQwenPrm = options.kind === 'qwen-prm';
  const encode = (text: string) => qwen2Encode(text, { stepTag: isQwenPrm });

  const error = (status: number, type: string, message: string, param: string | null = null): Reply => ({
    status,
    json:
      options.errorShape === 'flat'
        ? { object: 'error', message, type, param, code: status }
        : { error: { message, type, param, code: status } },
  });
  const badRequest = (message: string, param: string | null = null) => error(400, 'BadRequestError', message, param);
  const notFound = (): Reply => ({ status: 404, json: { detail: 'Not Found' } });
  const checkModel = (body: Record<string, unknown>): Reply | undefined =>
    body.model === undefined || body.model === options.servedModelName
      ? undefined
      : error(404, 'NotFoundError', `The model \`${String(body.model)}\` does not exist.`, 'model');
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  const usage = (prompt: number, completion = 0) => ({ prompt_tokens: prompt, total_tokens: prompt + completion, completion_tokens: completion });

  /** ChatML, as Qwen2's chat template renders it with a generation prompt. */
  const renderChat = (messages: { role: string; content: string }[]) =>
    messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n';

  const defaultGenerate = ({ prompt, seed }: GenerateRequest) => {
    const random = seededRandom((hashString(prompt) ^ Math.imul(seed, 0x9e3779b1)) >>> 0);
    const a = 1 + Math.floor(random() * 90);
    const b = 1 + Math.floor(random() * 90);
    return `We add ${a} and ${b}.\n\nThat gives ${a + b}.\n\nThe answer is \\boxed{${a + b}}.`;
  };

  function generate(route: '/v1/chat/completions' | '/v1/completions', body: Record<string, unknown>): Reply {
    const chat = route === '/v1/chat/completions';
    let prompt: string;
    let promptIds: number[];
    if (chat) {
      const messages = body.messages;
      if (!Array.isArray(messages) || messages.some((m) => typeof m?.role !== 'string' || typeof m?.content !== 'string')) {
        return badRequest('1 validation error for ChatCompletionRequest\nmessages\n  Field required', 'messages');
      }
      const ms = messages as { role: string; content: string }[];
      prompt = ms.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      promptIds = encode(renderChat(ms));
    } else {
      if (typeof body.prompt !== 'string') return badRequest('1 validation error for CompletionRequest\nprompt\n  Field required', 'prompt');
      prompt = body.prompt;
      promptIds = encode(prompt);
    }
    const missing = checkModel(body);
    if (missing) return missing;
    const n = body.n ?? 1;
    if (!isInt(n) || (n as number) < 1) return badRequest('n must be at least 1.', 'n');
    if ((n as number) > 1 && options.refuseNWith) return badRequest(options.refuseNWith, 'n');
    if (body.seed !== undefined && !isInt(body.seed)) return badRequest('seed must be an integer.', 'seed');
    const input = promptIds.length;
    if (input >= maxModelLen) {
      return badRequest(
        `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${input} input tokens. Please reduce the length of the input messages.`,
        'input_tokens',
      );
    }
    const maxTokens = body.max_tokens ?? maxModelLen - input;
    if (!isInt(maxTokens) || (maxTokens as number) < 1) return badRequest('max_tokens must be at least 1.', 'max_tokens');
    if ((maxTokens as number) > maxModelLen - input) {
      return badRequest(
        `'max_tokens' or 'max_completion_tokens' is too large: ${String(maxTokens)}. This model's maximum context length is ${maxModelLen} tokens and your request has ${input} input tokens (${String(maxTokens)} > ${maxModelLen} - ${input}).`,
        'max_tokens',
      );
    }
    // v1/engine/parallel_sampling.py: child i of a seeded request samples with seed + i.
    const base = isInt(body.seed) ? (body.seed as number) : Math.floor(Math.random() * 2 ** 31);
    const texts = Array.from({ length: n as number }, (_, i) => (options.generate ?? defaultGenerate)({ prompt, seed: base + i, index: i }));
    const completion = texts.reduce((sum, t) => sum + encode(t).length, 0);
    const created = Math.floor(Date.now() / 1000);
    return {
      status: 200,
      json: {
        id: `${chat ? 'chatcmpl' : 'cmpl'}-${randomUUID().replace(/-/g, '')}`,
        object: chat ? 'chat.completion' : 'text_completion',
        created,
        model: options.servedModelName,
        choices: texts.map((text, index) =>
          chat
            ? { index, message: { role: 'assistant', content: text, tool_calls: [] }, logprobs: null, finish_reason: 'stop', stop_reason: null }
            : { index, text, logprobs: null, finish_reason: 'stop', stop_reason: null },
        ),
        usage: usage(input, completion),
      },
    };
  }

  /** The token ids of a pooling input: a string, token ids, or (one) list of either. */
  function poolingIds(input: unknown): number[] | undefined {
    if (typeof input === 'string') return encode(input);
    if (Array.isArray(input) && input.length > 0 && input.every(isInt)) return input as number[];
    if (Array.isArray(input) && input.length === 1) return poolingIds(input[0]);
    return undefined;
  }

  function pooling(body: Record<string, unknown>): Reply {
    const missing = checkModel(body);
    if (missing) return missing;
    const task = body.task;
    if (task === 'encode') return badRequest("The 'encode' task has been removed; use 'token_embed' or 'token_classify' instead.", 'task');
    if (task !== undefined && (typeof task !== 'string' || !tasks.includes(task))) {
      return badRequest(`Task ${String(task)} is not supported, it must be one of the supported tasks: ${JSON.stringify(tasks)}`, 'task');
    }
    let ids: number[] | undefined;
    if (Array.isArray(body.messages)) ids = encode(renderChat(body.messages as { role: string; content: string }[]));
    else ids = poolingIds(body.input);
    if (!ids) return badRequest('1 validation error for PoolingCompletionRequest\ninput\n  Input should be a valid string or a list of token ids', 'input');
    if (ids.length > maxModelLen) {
      return badRequest(
        `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${ids.length} tokens in the input for embedding generation. Please reduce the length of the input.`,
        'input_tokens',
      );
    }
    const activation = body.use_activation !== false;
    let rows: number[][];
    if (isQwenPrm) rows = qwenPrmRows(ids, activation);
    else if (options.kind === 'skywork-prm') rows = skyworkValues(ids).map((v) => [activation ? sigmoid(v) : v]);
    else rows = [options.classProbs?.(qwen2Decode(ids)) ?? [0.3, 0.7]];
    return {
      status: 200,
      json: {
        id: `pool-${randomUUID().replace(/-/g, '')}`,
        object: 'list',
        created: Math.floor(Date.now() / 1000),
        model: options.servedModelName,
        data: [{ index: 0, object: 'pooling', data: rows }],
        usage: usage(ids.length),
      },
    };
  }

  /** Qwen2ForProcessRewardModel: one 2-label row per `<extra_0>` in the whole input (question included). */
  function qwenPrmRows(ids: number[], activation: boolean): number[][] {
    const decode = (part: number[]) => qwen2Decode(part).split('<|quad_end|>').join('<extra_0>');
    const question = /<\|im_start\|>user\n([\s\S]*?)<\|im_end\|>/.exec(decode(ids))?.[1] ?? '';
    const rows: number[][] = [];
    let from = 0;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== QWEN_PRM_STEP_TAG_ID) continue;
      // A step is the text since the previous tag, or since the assistant turn began.
      const segment = decode(ids.slice(from, i));
      const turn = segment.lastIndexOf(ASSISTANT_TURN);
      const stepText = turn >= 0 ? segment.slice(turn + ASSISTANT_TURN.length) : segment;
      from = i + 1;
      const p = options.stepProbability?.(question, stepText, rows.length) ?? 0.5;
      rows.push(activation ? [1 - p, p] : [0, Math.log(p / (1 - p))]);
    }
    return rows;
  }

  /**
   * Skywork's value head: `stepLogit` of the step's text at each lone "\n" token (id 198),
   * `offStepLogit` at every other token. A step runs from the last token that ended a line.
   */
  function skyworkValues(ids: number[]): number[] {
    const off = options.offStepLogit ?? 2.5;
    const values: number[] = [];
    let from = 0;
    let index = 0;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] === QWEN2_NEWLINE_ID && i > from) {
        values.push(options.stepLogit?.(qwen2Decode(ids.slice(from, i)), index++) ?? 0);
      } else values.push(off);
      if (qwen2Decode([ids[i]!]).endsWith('\n')) from = i + 1;
    }
    return values;
  }

  function embeddings(body: Record<string, unknown>): Reply {
    const missing = checkModel(body);
    if (missing) return missing;
    const ids = poolingIds(body.input);
    if (!ids) return badRequest('1 validation error for EmbeddingCompletionRequest\ninput\n  Field required', 'input');
    if (ids.length > maxModelLen) {
      return badRequest(
        `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${ids.length} tokens in the input for embedding generation. Please reduce the length of the input.`,
        'input_tokens',
      );
    }
    return {
      status: 200,
      json: {
        id: `embd-${randomUUID().replace(/-/g, '')}`,
        object: 'list',
        created: Math.floor(Date.now() / 1000),
        model: options.servedModelName,
        data: [{ index: 0, object: 'embedding', embedding: skyworkValues(ids) }],
        usage: usage(ids.length),
      },
    };
  }

  function classify(body: Record<string, unknown>): Reply {
    const missing = checkModel(body);
    if (missing) return missing;
    const text = Array.isArray(body.messages) ? renderChat(body.messages as { role: string; content: string }[]) : String(body.input ?? '');
    const probs = options.classProbs?.(text) ?? [0.3, 0.7];
    return {
      status: 200,
      json: {
        id: `classify-${randomUUID().replace(/-/g, '')}`,
        object: 'list',
        created: Math.floor(Date.now() / 1000),
        model: options.servedModelName,
        data: [{ index: 0, label: `LABEL_${probs.length - 1}`, probs, num_classes: probs.length }],
        usage: usage(encode(text).length),
      },
    };
  }

  function tokenize(body: Record<string, unknown>): Reply {
    const missing = checkModel(body);
    if (missing) return missing;
    let text: string;
    if (Array.isArray(body.messages)) text = renderChat(body.messages as { role: string; content: string }[]);
    else if (typeof body.prompt === 'string') text = body.prompt;
    else return badRequest('1 validation error for TokenizeCompletionRequest\nprompt\n  Field required', 'prompt');
    const tokens = encode(text); // Qwen2 tokenisers add no special tokens (add_special_tokens changes nothing)
    return {
      status: 200,
      json: { count: tokens.length, max_model_len: maxModelLen, tokens, token_strs: body.return_token_strs ? qwen2TokenStrs(tokens) : null },
    };
  }

  /** Whether this model's server registers a POST `route`. */
  function serves(route: string): boolean {
    const generating = tasks.includes('generate');
    if (route === '/tokenize') return true;
    if (route === '/v1/chat/completions' || route === '/v1/completions') return generating;
    if (route === '/pooling') return !generating && options.kind !== 'skywork-prm-legacy';
    if (route === '/classify') return tasks.includes('classify');
    if (route === '/v1/embeddings') return tasks.includes('embed');
    return false;
  }

  /** The answer to a POST on `route`, as the server with this model's routes gives it. */
  function answer(route: string, body: Record<string, unknown>): Reply {
    if (!serves(route)) return notFound();
    if (route === '/tokenize') return tokenize(body);
    if (route === '/v1/chat/completions' || route === '/v1/completions') return generate(route, body);
    if (route === '/pooling') return pooling(body);
    if (route === '/classify') return classify(body);
    return embeddings(body);
  }

  return { answer, serves, maxModelLen, tasks, error };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export async function startVllmServer(options: VllmServerOptions): Promise<VllmServer> {
  const model = vllmModel(options);
  const requests: { path: string; body: unknown }[] = [];
  const replies: VllmServer['replies'] = [];
  let posts = 0;
  const delayed = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = (req.url ?? '/').split('?')[0]!;
      const raw = Buffer.concat(chunks).toString('utf8');
      let reply: Reply;
      if (req.method === 'GET' && route === '/v1/models') {
        reply = { status: 200, json: { object: 'list', data: [{ id: options.servedModelName, object: 'model', max_model_len: model.maxModelLen }] } };
      } else if (req.method === 'GET' && route === '/health') {
        reply = { status: 200, json: {} };
      } else if (req.method !== 'POST' || !model.serves(route)) {
        requests.push({ path: route, body: raw });
        reply = { status: 404, json: { detail: 'Not Found' } };
      } else {
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          body = undefined;
        }
        requests.push({ path: route, body });
        reply =
          body && typeof body === 'object' && !Array.isArray(body)
            ? model.answer(route, body as Record<string, unknown>)
            : model.error(400, 'BadRequestError', 'JSON decode error');
      }
      const text = JSON.stringify(reply.json);
      const send = () => {
        if (req.method === 'POST') res.on('finish', () => replies.push({ path: route, json: reply.json, at: Date.now() }));
        res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      const delay = req.method === 'POST' ? (options.replyDelayMs?.(posts++) ?? 0) : 0;
      // A client that gave up meanwhile (its connection closed) gets nothing.
      if (delay > 0) {
        const timer = setTimeout(() => {
          delayed.delete(timer);
          if (!res.destroyed) send();
        }, delay);
        delayed.add(timer);
      } else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    v1: `${url}/v1`,
    requests,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of delayed) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `vllm run-batch` refused the input file: the run stops before any output is written. */
export class RunBatchAborted extends Error {}

/**
 * `vllm run-batch -i input -o output` (entrypoints/openai/run_batch.py) over one model:
 * each line is validated as `BatchRequestInput` (custom_id, method, url, body checked as the
 * url's request type; a body no supported request type accepts is a pydantic error that
 * aborts the whole run); each request then runs and gives one output line, a failure holding
 * vLLM's ErrorResponse in `error` (or the error text, for urls it does not serve).
 */
export function runBatch(model: ReturnType<typeof vllmModel>, input: string): string {
  const lines = input.split('\n').map((l) => l.trim()).filter(Boolean);
  const requests = lines.map((line, i) => {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new RunBatchAborted(`1 validation error for BatchRequestInput\n  Invalid JSON (line ${i + 1})`);
    }
    for (const key of ['custom_id', 'method', 'url'] as const) {
      if (typeof json[key] !== 'string') throw new RunBatchAborted(`1 validation error for BatchRequestInput\n${key}\n  Field required (line ${i + 1})`);
    }
    const body = json.body as Record<string, unknown> | undefined;
    const url = json.url as string;
    if (!body || typeof body !== 'object') throw new RunBatchAborted(`1 validation error for BatchRequestInput\nbody\n  Field required (line ${i + 1})`);
    // check_type_for_url: chat bodies need messages; embeddings need input; any other url is
    // validated against the union of the supported bodies (chat | embedding | score | rerank).
    const chatOk = Array.isArray(body.messages);
    const embedOk = body.input !== undefined;
    const scoreOk = (body.text_1 !== undefined && body.text_2 !== undefined) || (body.queries !== undefined && body.documents !== undefined);
    const rerankOk = body.query !== undefined && body.documents !== undefined;
    const valid =
      url === '/v1/chat/completions' ? chatOk : url === '/v1/embeddings' ? embedOk : url.endsWith('/score') ? scoreOk : url.endsWith('/rerank') ? rerankOk : chatOk || embedOk || scoreOk || rerankOk;
    if (!valid) {
      throw new RunBatchAborted(`validation errors for BatchRequestInput\nbody\n  Input does not match any of ChatCompletionRequest, EmbeddingRequest, ScoreRequest, RerankRequest (line ${i + 1}, url ${url})`);
    }
    return { custom_id: json.custom_id as string, url, body };
  });
  const out = requests.map((r) => {
    const line = (response: unknown, error: unknown) => ({ id: `vllm-${randomUUID().replace(/-/g, '')}`, custom_id: r.custom_id, response, error });
    const requestId = `vllm-batch-${randomUUID().replace(/-/g, '')}`;
    const unsupported = (what: string) => line({ status_code: 400, request_id: requestId, body: null }, `The model does not support ${what} API`);
    let reply: Reply;
    if (r.url === '/v1/chat/completions') {
      if (!model.tasks.includes('generate')) return unsupported('Chat Completions');
      reply = model.answer('/v1/chat/completions', r.body);
    } else if (r.url === '/v1/embeddings') {
      if (!model.tasks.includes('embed')) return unsupported('Embeddings');
      reply = model.answer('/v1/embeddings', r.body);
    } else {
      return line(
        { status_code: 400, request_id: requestId, body: null },
        `URL ${r.url} was used. Supported endpoints: /v1/chat/completions, /v1/embeddings, /score, /rerank.`,
      );
    }
    if (reply.status === 200) return line({ status_code: 200, request_id: requestId, body: reply.json }, null);
    return line({ status_code: reply.status, request_id: requestId, body: null }, reply.json);
  });
  return out.map((o) => JSON.stringify(o)).join('\n') + '\n';
}
