/**
 * The endpoints benchmark's model server, in its own process so its CPU is not the
 * client's: the test server with a fixed latency and capacity (requests beyond it wait in
 * line, as behind vLLM's max-num-seqs), answering each chat request with the next of the
 * real recorded responses of the problem the prompt names (media/demo/math_cot_50.jsonl), so
 * the client grades real model output. Prints one JSON line `{ "v1" }`.
 *
 *   node --import tsx bench/endpoints/server-main.ts '{"latencyMs":100,"capacity":256}'
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../../test/support/test-server';

/** Bench questions are `<recorded question>` + this + a copy number; the server strips it. */
export const COPY_MARK = '\n\n(copy ';

export interface RecordedProblem {
  question: string;
  gt: string;
  response: string[];
}

export function recordedProblems(): RecordedProblem[] {
  const text = readFileSync(join(import.meta.dirname, '../../media/demo/math_cot_50.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RecordedProblem);
}

async function main(): Promise<void> {
  const { latencyMs, capacity } = JSON.parse(process.argv[2] ?? '{}') as { latencyMs?: number; capacity?: number };
  const byQuestion = new Map(recordedProblems().map((p) => [p.question, { texts: p.response, next: 0 }]));
  const server = await startTestServer({
    record: 0,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
    policy: ({ prompt, n }) => {
      const cut = prompt.lastIndexOf(COPY_MARK);
      const p = byQuestion.get(cut < 0 ? prompt : prompt.slice(0, cut));
      if (!p) return Array.from({ length: n }, () => 'The answer is \\boxed{0}.');
      return Array.from({ length: n }, () => p.texts[p.next++ % p.texts.length]!);
    },
  });
  process.stdout.write(`${JSON.stringify({ v1: server.v1 })}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

if (process.argv[1]?.endsWith('server-main.ts')) await main();
