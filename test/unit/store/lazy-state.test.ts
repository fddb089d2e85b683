import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { deriveInputOf, restateOf, stateOf } from '../../../src/pipeline/derive-from-store';
import { deriveRunState, relabel } from '../../../src/core/state/derive';
import type { RunState } from '../../../src/core/state/run-state';
import type { Problem, Response, RunSettings, ScoreLogRecord } from '../../../src/core/schema/index';
import { settings } from '../core/state/fixture';
import { seededRandom } from '../../../src/core/random';

/** Real model responses and their reference verdicts (media/demo/SOURCE.md), all 50 problems. */
const rows = readFileSync(new URL('../../../media/demo/math_cot_50.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { question: string; gt: string; response: string[]; score: boolean[] });
const problems: Problem[] = rows.map((r, i) => ({ id: `m${i}`, question: r.question, answer: r.gt, source: { file: 'math_cot_50.jsonl', line: i + 1 } }));

function runSettings(pairRanking: 'prm-min' | 'reward-model'): RunSettings {
  return settings({ dataset: { path: 'math_cot_50.jsonl', sha256: 'b'.repeat(64) }, pairRanking });
}

function response(p: number, slot: number, text: string, finishReason: string | null = 'stop'): Response {
  return { id: `m${p}:${slot}`, problemId: `m${p}`, slot, stage: slot < 3 ? 'pre' : 're', text, finishReason, usage: { prompt: 100, completion: 400 }, model: 'policy', latencyMs: 900, at: `2026-01-01T00:00:${String(slot).padStart(2, '0')}.000Z`, round: 0 };
}

/** Grade from the reference verdict; PRM scores and a reward that lean with it; every fifth response left without a PRM score, every seventh ungraded. */
function scoresOf(r: Response, correct: boolean, random: () => number, k: number): ScoreLogRecord[] {
  const out: ScoreLogRecord[] = [];
  if (k % 7 !== 6) out.push({ kind: 'grade', responseId: r.id, extracted: k % 11 === 3 ? null : correct ? 'right' : 'wrong', method: k % 11 === 3 ? 'none' : 'box', correct, grader: 'reference' });
  const base = correct ? 0.5 + 0.5 * random() : 0.6 * random();
  if (k % 5 !== 4) out.push({ kind: 'prm', responseId: r.id, scores: [Math.min(1, base + 0.2), base, Math.min(1, base + 0.1)], model: 'prm' });
  out.push({ kind: 'reward', responseId: r.id, score: base * 10 - 3, model: 'orm' });
  return out;
}

/** Eight slots per problem over its real responses (so texts repeat), one truncated. */
async function writeRun(dir: string, pairRanking: 'prm-min' | 'reward-model'): Promise<void> {
  const random = seededRandom(7);
  const store = await ProjectStore.create(dir, runSettings(pairRanking), problems);
  for (const [p, row] of rows.entries()) {
    const rs = Array.from({ length: 8 }, (_, slot) => response(p, slot, row.response[(slot + p) % row.response.length]!, slot === 5 && p % 4 === 0 ? 'length' : 'stop'));
    await store.appendResponses(rs);
    await store.appendScores(rs.flatMap((r, slot) => scoresOf(r, row.score[(slot + p) % row.response.length] === true, random, p * 8 + slot)));
  }
  await store.close();
}

/** The read model built the eager way: a view per response, from the records, with no facts from the columns. */
function eager(store: ProjectStore): RunState {
  const { responseFactsOf: _facts, ...input } = deriveInputOf(store);
  return deriveRunState(input);
}

for (const ranking of ['prm-min', 'reward-model'] as const) {
  test(`a read model from the store's columns, views built when read, equals the eager one on real responses (${ranking}), after appends too`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'hsstar-lazy-state-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await writeRun(dir, ranking);

    const { store } = await ProjectStore.open(dir, { write: false });
    t.after(() => store.close());
    assert.deepEqual(store.checkpointUse, { used: true, bytesAfter: 0 });
    let recordsRead = 0;
    const responsesOf = store.responsesOf.bind(store);
    store.responsesOf = (id) => (recordsRead++, responsesOf(id));
    const lazy = stateOf(store);
    assert.equal(recordsRead, 0, 'deriving builds no response record');
    assert.ok(lazy.pairs.length > 5 && lazy.counts.boundary > 10, `${lazy.pairs.length} pairs, ${JSON.stringify(lazy.counts)}`);
    const whole = eager(store);
    recordsRead = 0;
    assert.deepEqual(lazy, whole);
    assert.equal(recordsRead, problems.length, "comparing reads every problem's responses, once");
    assert.deepEqual(relabel(stateOf(store), { thresholds: { tauLow: 0.3, tauHigh: 0.5 } }), relabel(whole, { thresholds: { tauLow: 0.3, tauHigh: 0.5 } }));

    // Another process appends: re-samples (one a copy of slot 0's text), grades changed, a PRM score for one left without.
    const { store: writer } = await ProjectStore.open(dir, { write: true });
    const more = [0, 3, 8, 17].map((p) => response(p, 8, p === 3 ? rows[3]!.response[3 % rows[3]!.response.length]! : `${rows[p]!.response[0]!} Checked again.`));
    await writer.appendResponses(more);
    await writer.appendScores([
      ...more.flatMap((r, k) => scoresOf(r, k % 2 === 0, () => 0.7, k)),
      { kind: 'grade', responseId: 'm8:1', extracted: 'right', method: 'box', correct: true, grader: 'reference-2' },
      { kind: 'prm', responseId: 'm9:4', scores: [0.9, 0.2], model: 'prm' },
    ]);
    await writer.close();
    const caught = await store.catchUp();
    assert.deepEqual([...caught.problems].sort(), ['m0', 'm17', 'm3', 'm8', 'm9']);
    const followed = restateOf(store, lazy, caught.problems);
    assert.deepEqual(followed, eager(store));
    assert.deepEqual(followed, stateOf(store));

    // The same folder opened again, from the checkpoint the writer left.
    const { store: again } = await ProjectStore.open(dir, { write: false });
    t.after(() => again.close());
    assert.deepEqual(again.checkpointUse, { used: true, bytesAfter: 0 });
    assert.deepEqual(stateOf(again), eager(again));
    assert.deepEqual(stateOf(again), followed);
  });
}
