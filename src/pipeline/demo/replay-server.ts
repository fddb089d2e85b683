import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { splitSteps } from '../../core/steps';
import { recordedScore, type RecordedRow } from './recorded-data';

/**
 * An offline stand-in for the demo's model servers, on 127.0.0.1 at a random port. It
 * speaks the same protocols as real use, so the demo goes through the real HTTP clients:
 * - OpenAI `POST /v1/chat/completions`: the policy. Each request for a problem gets that
 *   problem's next unused recorded response(s), in recorded order. A problem asked for more
 *   responses than were recorded starts again from its first one (the pairs step counts
 *   identical texts once, so repeats add no pair).
 * - `POST /prm` (http-json PRM): the data has no step scores, so every step of a response
 *   gets the sigmoid of that response's recorded reward logit, and S(r) is that value.
 * - `POST /reward` (http-json reward): the recorded reward logit itself.
 */
export interface ReplayServer {
  /** Server root, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** OpenAI base URL for the policy. */
  v1: string;
  prmUrl: string;
  rewardUrl: string;
  stats: { served: number; repeated: number; prm: number; reward: number };
  close(): Promise<void>;
}

const ChatBody = z.looseObject({
  model: z.string().optional(),
  n: z.number().int().positive().optional(),
  messages: z.array(z.looseObject({ role: z.string(), content: z.string().nullish() })),
});
const PrmBody = z.looseObject({ question: z.string(), steps: z.array(z.string()) });
const RewardBody = z.looseObject({ question: z.string(), response: z.string() });

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Rough token count for usage figures (the recorded data has none): about 4 characters a token. */
const tokens = (text: string): number => Math.ceil(text.length / 4);

export async function startReplayServer(rows: readonly RecordedRow[], separator = '\n\n'): Promise<ReplayServer> {
  const byQuestion = new Map<string, RecordedRow>();
  const next = new Map<RecordedRow, number>();
  const scoreOfSteps = new Map<string, number>();
  const scoreOfText = new Map<string, number>();
  for (const row of rows) {
    byQuestion.set(row.question, row);
    row.response.forEach((text, i) => {
      const logit = recordedScore(row, i);
      scoreOfSteps.set(`${row.question}\u0000${splitSteps(text, separator).join('\u0000')}`, logit);
      scoreOfText.set(`${row.question}\u0000${text}`, logit);
    });
  }
  const stats = { served: 0, repeated: 0, prm: 0, reward: 0 };
  let seq = 0;

  const chat = (body: z.infer<typeof ChatBody>): [number, unknown] => {
    const question = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const row = byQuestion.get(question);
    if (!row) return [404, { error: { message: 'no recorded responses for this question', type: 'NotFoundError', param: 'messages', code: '404' } }];
    const n = body.n ?? 1;
    const choices = [];
    for (let i = 0; i < n; i++) {
      const k = next.get(row) ?? 0;
      next.set(row, k + 1);
      if (k >= row.response.length) stats.repeated++;
      stats.served++;
      choices.push({ index: i, message: { role: 'assistant', content: row.response[k % row.response.length]! }, logprobs: null, finish_reason: 'stop' });
    }
    const promptTokens = tokens(body.messages.map((m) => m.content ?? '').join('\n'));
    const completionTokens = choices.reduce((a, c) => a + tokens(c.message.content), 0);
    return [
      200,
      {
        id: `replay-${++seq}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? 'replay',
        choices,
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      },
    ];
  };

  const prm = (body: z.infer<typeof PrmBody>): [number, unknown] => {
    const logit = scoreOfSteps.get(`${body.question}\u0000${body.steps.join('\u0000')}`);
    if (logit === undefined) return [400, { error: 'these steps are not a recorded response' }];
    stats.prm++;
    return [200, { step_scores: body.steps.map(() => sigmoid(logit)) }];
  };

  const reward = (body: z.infer<typeof RewardBody>): [number, unknown] => {
    const logit = scoreOfText.get(`${body.question}\u0000${body.response}`);
    if (logit === undefined) return [400, { error: 'not a recorded response' }];
    stats.reward++;
    return [200, { score: logit }];
  };

  const route = (path: string, json: unknown): [number, unknown] => {
    const parse = <S extends z.ZodType>(schema: S, f: (b: z.infer<S>) => [number, unknown]): [number, unknown] => {
      const r = schema.safeParse(json);
      return r.success ? f(r.data) : [400, { error: { message: 'unexpected request body', type: 'BadRequestError', code: '400' } }];
    };
    if (path === '/v1/chat/completions') return parse(ChatBody, chat);
    if (path === '/prm') return parse(PrmBody, prm);
    if (path === '/reward') return parse(RewardBody, reward);
    return [404, { error: { message: `no route ${path}`, type: 'NotFoundError', code: '404' } }];
  };

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status: number;
      let reply: unknown;
      try {
        [status, reply] = route((req.url ?? '/').split('?')[0]!, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        [status, reply] = [400, { error: { message: 'body is not JSON', type: 'BadRequestError', code: '400' } }];
      }
      const text = JSON.stringify(reply);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    v1: `${url}/v1`,
    prmUrl: `${url}/prm`,
    rewardUrl: `${url}/reward`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
