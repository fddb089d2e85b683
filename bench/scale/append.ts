// Another process writing a run that the measuring process follows: opens it for writing,
// appends COUNT responses (with grades) in slots past the budget, and closes. The slots
// are above N, so the run's labels, plan and pairs do not change.
// Usage (by measure.ts): node --import tsx bench/scale/append.ts DIR COUNT
import { ProjectStore } from '../../src/store/project';
import type { Response, ScoreLogRecord } from '../../src/core/schema/index';

const [dir, countArg] = process.argv.slice(2);
const count = Number(countArg);
const { store } = await ProjectStore.open(dir!, { write: true });
const problems = store.problems();
for (let from = 0; from < count; from += 1000) {
  const responses: Response[] = [];
  const scores: ScoreLogRecord[] = [];
  for (let i = from; i < Math.min(count, from + 1000); i++) {
    const problem = problems[i % problems.length]!;
    const slot = 100 + Math.floor(i / problems.length);
    const text = store.responseMetaOf(problem.id).length ? `A later answer, step by step.\n\nSo the answer is \\boxed{${problem.answer}}.` : 'none';
    const id = `${problem.id}:${slot}`;
    responses.push({ id, problemId: problem.id, slot, stage: 're', text, finishReason: 'stop', usage: { prompt: 120, completion: 20 }, model: 'qwen2.5-7b-instruct', latencyMs: 900, at: '2026-01-02T00:00:00.000Z', round: 0 });
    scores.push({ kind: 'grade', responseId: id, extracted: problem.answer, method: 'box', correct: true, grader: 'bench' });
  }
  await store.appendResponses(responses);
  await store.appendScores(scores);
}
await store.close();
