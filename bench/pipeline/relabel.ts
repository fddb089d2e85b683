// Derivation benchmark: a 100,000-problem × 8-response run held in memory (as the store's
// index holds it); times the full derivation and a relabel with new thresholds (labels,
// plan and pairs, no regrading). Target: relabel < 1 s.
// Usage: npm run bench:pipeline
import { RunSettings, type Grade, type Problem, type Response, type StepScores } from '../../src/core/schema/index';
import { deriveRunState, relabel } from '../../src/core/state/derive';

const PROBLEMS = Number(process.env.RELABEL_PROBLEMS ?? 100_000);
const PER = 8;

const settings = RunSettings.parse({
  formatVersion: 1,
  dataset: { path: 'bench.jsonl', sha256: 'e'.repeat(64) },
  policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'policy' },
  prm: { protocol: 'http-json', baseURLs: ['http://127.0.0.1:9/prm'], model: 'prm' },
  budget: { N: PER, presample: 3 },
  thresholds: { tauLow: 0.15, tauHigh: 0.65 },
});

const problems: Problem[] = [];
const byProblem = new Map<string, Response[]>();
const grades = new Map<string, Grade>();
const prm = new Map<string, StepScores>();
let x = 12345;
const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 4294967296);
for (let i = 0; i < PROBLEMS; i++) {
  const id = `p${i}`;
  problems.push({ id, question: `question ${i}`, answer: '1', source: { file: 'bench.jsonl', line: i + 1 } });
  const skill = rand();
  const rs: Response[] = [];
  for (let slot = 0; slot < PER; slot++) {
    const rid = `${id}:${slot}`;
    const correct = rand() < skill;
    rs.push({ id: rid, problemId: id, slot, stage: slot < 3 ? 'pre' : 're', text: `step a ${rid}\n\nstep b\n\n\\boxed{${correct ? 1 : 2}}`, finishReason: 'stop', usage: { prompt: 50, completion: 300 }, model: 'policy', latencyMs: 1, at: '2026-01-01T00:00:00Z', round: 0 });
    grades.set(rid, { responseId: rid, extracted: correct ? '1' : '2', method: 'box', correct, grader: 'bench' });
    const base = correct ? 0.4 + 0.6 * rand() : 0.6 * rand();
    prm.set(rid, { responseId: rid, scores: [Math.min(1, base + 0.2), base, Math.min(1, base + 0.1)], model: 'prm' });
  }
  byProblem.set(id, rs);
}
const input = {
  settings,
  problems,
  responsesOf: (id: string) => byProblem.get(id) ?? [],
  grade: (rid: string) => grades.get(rid),
  prm: (rid: string) => prm.get(rid),
  reward: () => undefined,
  events: [],
};

let t = performance.now();
const state = deriveRunState(input);
const full = performance.now() - t;
t = performance.now();
const relabelled = relabel(state, { thresholds: { tauLow: 0.25, tauHigh: 0.5 } });
const again = performance.now() - t;
console.log(`relabel: ${PROBLEMS} problems × ${PER} responses`);
console.log(`full derivation: ${(full / 1000).toFixed(3)} s; labels ${JSON.stringify(state.counts)}; pairs ${state.pairs.length}`);
console.log(`relabel with new thresholds: ${(again / 1000).toFixed(3)} s (target < 1 s); labels ${JSON.stringify(relabelled.counts)}; pairs ${relabelled.pairs.length}`);
