// Writes a curation run of P problems × 8 responses straight through the store's append API
// (no HTTP): real model responses from media/demo/math_cot_50.jsonl, their reference
// verdicts as grades, and PRM step scores that lean with correctness.
// Usage (by run.ts): node --import tsx bench/scale/generate.ts DIR PROBLEMS
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectStore } from '../../src/store/project';
import { RunSettings, type Problem, type Response, type ScoreLogRecord } from '../../src/core/schema/index';
import { seededRandom } from '../../src/core/random';
import { splitSteps } from '../../src/core/steps';
import { extractAnswer, type Extraction } from '../../src/core/answer/extract';

const [dir, countArg] = process.argv.slice(2);
const PROBLEMS = Number(countArg ?? 100_000);
const N = 8;
const PRESAMPLE = 3;
const ROOT = new URL('../../', import.meta.url).pathname;

interface Real {
  question: string;
  gt: string;
  response: string[];
  score: boolean[];
}
const real = readFileSync(join(ROOT, 'media/demo/math_cot_50.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Real);

const settings = RunSettings.parse({
  formatVersion: 1,
  dataset: { path: 'scale.jsonl', sha256: 'c'.repeat(64) },
  policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'qwen2.5-7b-instruct' },
  prm: { protocol: 'http-json', baseURLs: ['http://127.0.0.1:9/prm'], model: 'Skywork-o1-Open-PRM-Qwen-2.5-7B' },
  budget: { N, presample: PRESAMPLE },
  thresholds: { tauLow: 0.15, tauHigh: 0.65 },
});

function* problems(): Generator<Problem> {
  for (let i = 0; i < PROBLEMS; i++) {
    const r = real[i % real.length]!;
    yield { id: `scale-${i}`, question: `${r.question} (variant ${i})`, answer: r.gt, source: { file: 'scale.jsonl', line: i + 1 } };
  }
}

const random = seededRandom(2026);
const started = performance.now();
const store = await ProjectStore.create(dir!, settings, problems());
const BATCH = 250; // problems per append: 2,000 responses
let written = 0;
const extracted = new Map<string, Extraction>();
for (let from = 0; from < PROBLEMS; from += BATCH) {
  const responses: Response[] = [];
  const scores: ScoreLogRecord[] = [];
  for (let i = from; i < Math.min(PROBLEMS, from + BATCH); i++) {
    const r = real[i % real.length]!;
    for (let slot = 0; slot < N; slot++) {
      const k = (slot + i) % r.response.length;
      const text = r.response[k]!;
      const correct = r.score[k] === true;
      const id = `scale-${i}:${slot}`;
      responses.push({
        id,
        problemId: `scale-${i}`,
        slot,
        stage: slot < PRESAMPLE ? 'pre' : 're',
        text,
        finishReason: 'stop',
        usage: { prompt: 120, completion: Math.ceil(text.length / 4) },
        model: 'qwen2.5-7b-instruct',
        latencyMs: 900,
        at: '2026-01-01T00:00:00.000Z',
        round: 0,
      });
      // The recorded texts repeat across problems: extract each once. Pairs leave answerless responses out.
      const found = extracted.get(text) ?? extracted.set(text, extractAnswer(text)).get(text)!;
      scores.push({ kind: 'grade', responseId: id, extracted: found.extracted, method: found.method, correct, grader: 'bench' });
      const steps = splitSteps(text, settings.stepSeparator).length;
      const base = correct ? 0.45 + 0.55 * random() : 0.6 * random();
      scores.push({
        kind: 'prm',
        responseId: id,
        scores: Array.from({ length: Math.max(1, steps) }, (_, s) => Math.min(1, base + (s % 3) * 0.05)),
        model: 'Skywork-o1-Open-PRM-Qwen-2.5-7B',
      });
    }
  }
  await Promise.all([store.appendResponses(responses), store.appendScores(scores)]);
  written += responses.length;
  if ((from / BATCH) % 40 === 0) process.stderr.write(`generated ${written} responses\r`);
}
await store.close();
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ problems: PROBLEMS, responses: written, seconds }) + '\n');
