import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { CHECKPOINT_FILE } from '../../../src/store/log/checkpoint';
import { deriveInputOf, stateOf } from '../../../src/pipeline/derive-from-store';
import { deriveRunState } from '../../../src/core/state/derive';
import type { RunState } from '../../../src/core/state/run-state';
import type { Problem, Response, ScoreLogRecord } from '../../../src/core/schema/index';
import { settings } from './fixtures/records';

/** Real model responses and their reference verdicts (media/demo/SOURCE.md): the rows with right and wrong answers, and three others. */
const rows = readFileSync(new URL('../../../media/demo/math_cot_50.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { question: string; gt: string; response: string[]; score: boolean[] });
const real = [6, 12, 31, 47, 29, 0, 1, 2].map((i) => rows[i]!);

const problems: Problem[] = real.map((r, i) => ({ id: `q${i}`, question: r.question, answer: r.gt, source: { file: 'math_cot_50.jsonl', line: i + 1 } }));

function response(p: number, slot: number, text: string): Response {
  return { id: `q${p}:${slot}`, problemId: `q${p}`, slot, stage: slot < 3 ? 'pre' : 're', text, finishReason: 'stop', usage: { prompt: 100, completion: 400 }, model: 'policy', latencyMs: 900, at: '2026-01-01T00:00:00.000Z', round: 0 };
}
const scores = (id: string, correct: boolean, s: number): ScoreLogRecord[] => [
  { kind: 'grade', responseId: id, extracted: correct ? 'right' : 'wrong', method: 'box', correct, grader: 'reference' },
  { kind: 'prm', responseId: id, scores: [Math.min(1, s + 0.1), s], model: 'prm' },
];

/** Slots 0-3 are four real responses; slot 4 repeats slot 0's text with the highest score, so pairing must drop one copy. */
async function closedRun(dir: string): Promise<void> {
  const store = await ProjectStore.create(dir, settings(), problems);
  for (const [p, r] of real.entries()) {
    const rs = [0, 1, 2, 3].map((k) => response(p, k, r.response[k % r.response.length]!));
    rs.push(response(p, 4, rs[0]!.text));
    await store.appendResponses(rs);
    await store.appendScores(rs.flatMap((x, k) => scores(x.id, r.score[k % 4 % r.response.length] === true, k === 4 ? 0.95 : 0.2 + 0.15 * k)));
  }
  await store.close();
}

/** The read model when every pair of texts is compared by reading them: what pairing did before digests. */
function derivedFromTexts(store: ProjectStore): RunState {
  const { textDigest: _digests, ...input } = deriveInputOf(store);
  return deriveRunState(input);
}

/** What the text digests may change: which pairs are built (and so the counts and per-problem figures around them). */
const pairing = (s: RunState) => ({ pairs: s.pairs, counts: s.counts, problems: s.problems.map((p) => ({ id: p.problem.id, phiA: p.phiA, phiR: p.phiR, graded: p.graded, pairs: p.pairs })) });

async function readWhole(dir: string): Promise<RunState> {
  const path = join(dir, CHECKPOINT_FILE);
  const saved = existsSync(path) ? readFileSync(path) : null;
  if (saved) unlinkSync(path);
  const { store } = await ProjectStore.open(dir, { write: false });
  try {
    assert.equal(store.checkpointUse.used, false);
    return stateOf(store);
  } finally {
    await store.close();
    if (saved) writeFileSync(path, saved);
  }
}

test('the read model from a checkpoint and the lines after it equals a whole derivation, duplicates written another way included', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-checkpoint-derive-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await closedRun(dir);

  // After the checkpoint, another writer (killed, never closed) adds a re-sample per problem: for
  // even problems a copy of slot 1's text, for q1 a copy of slot 2 written with \u escapes
  // (the same text in another spelling, as a hand-made import could write it).
  const { store: writer } = await ProjectStore.open(dir, { write: true });
  for (const [p, r] of real.entries()) {
    if (p === 1) continue;
    const text = p % 2 === 0 ? r.response[1 % r.response.length]! : `${r.response[0]!} Checked again.`;
    await writer.appendResponses([response(p, 5, text)]);
    await writer.appendScores(scores(`q${p}:5`, r.score[p % 2 === 0 ? 1 % r.response.length : 0] === true, 0.9));
  }
  const twin = response(1, 5, real[1]!.response[2 % real[1]!.response.length]!);
  const { text: twinText, ...twinRest } = twin;
  const line = JSON.stringify({ kind: 'response', ...twinRest, text: twinText }); // the text last, as the store writes it
  const escaped = line.replace(/"text":"(.)/, (_, c: string) => `"text":"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  assert.notEqual(escaped, line);
  assert.deepEqual(JSON.parse(escaped), JSON.parse(line));
  appendFileSync(join(dir, 'responses.jsonl'), `${escaped}\n`);
  appendFileSync(join(dir, 'scores.jsonl'), scores(twin.id, real[1]!.score[2] === true, 0.99).map((s) => JSON.stringify(s) + '\n').join(''));
  appendFileSync(join(dir, 'responses.jsonl'), '{"kind":"response","id":"q3:6","probl'); // a torn tail

  const whole = await readWhole(dir);
  const { store, recovery } = await ProjectStore.open(dir, { write: false });
  t.after(() => store.close());
  assert.equal(store.checkpointUse.used, true, JSON.stringify(store.checkpointUse));
  assert.equal(recovery.torn.length, 1);
  const fromCheckpoint = stateOf(store);
  assert.deepEqual(fromCheckpoint, whole, 'from the checkpoint as from the logs read whole');
  assert.deepEqual(pairing(fromCheckpoint), pairing(derivedFromTexts(store)), 'digests change no pair');
  assert.ok(fromCheckpoint.pairs.length > 0, 'the run has pairs');
  // The duplicates were found: no pair has two responses of one text.
  for (const p of fromCheckpoint.pairs) {
    const text = (id: string) => store.responsesOf(p.problemId).find((r) => r.id === id)!.text;
    assert.notEqual(text(p.chosenId), text(p.rejectedId));
  }
  for (const ps of fromCheckpoint.problems) {
    const used = ps.pairs.flatMap((p) => [p.chosenId, p.rejectedId]);
    const texts = used.map((id) => ps.responses.find((v) => v.response.id === id)!.response.text);
    assert.equal(new Set(texts).size, new Set(used).size, `${ps.problem.id}: a text stands in its pairs once`);
  }
  assert.equal(store.textDigest({ id: 'q1:5' }), undefined, 'the \\u spelling has no digest: its text decides');
  const q1 = fromCheckpoint.byId.get('q1')!;
  assert.equal(q1.effective, 'boundary');
  assert.deepEqual(q1.pairs.map((p) => p.chosenId), ['q1:5'], 'of the two copies of one right answer, the better ranked is chosen, once');
  assert.notEqual(store.textDigest({ id: 'q1:2' }), undefined);
  assert.equal(store.textDigest(store.responsesOf('q1')[2]!), store.textDigest({ id: 'q1:2' }));
  await writer.close();

  // A stale checkpoint (the log's covered bytes changed) is ignored; the read model is the same.
  const { store: reader } = await ProjectStore.open(dir, { write: false });
  const expected = stateOf(reader);
  await reader.close();
  const responses = join(dir, 'responses.jsonl');
  const bytes = readFileSync(responses);
  const at = bytes.indexOf('"model":"policy"', 100);
  bytes.write('"model":"polic2"', at);
  writeFileSync(responses, bytes);
  const { store: stale } = await ProjectStore.open(dir, { write: false });
  t.after(() => stale.close());
  assert.match(String((stale.checkpointUse as { reason?: string }).reason), /stale/);
  assert.deepEqual(pairing(stateOf(stale)), pairing(expected));
});
