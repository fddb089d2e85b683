import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Grade, Problem, Response, StepScores } from '../../src/core/schema/index';
import { RunSettings } from '../../src/core/schema/index';
import { activeEvents, deriveRunState, relabel } from '../../src/core/state/derive';
import type { RunState } from '../../src/core/state/run-state';
import { buildInspectorPayload } from '../../src/views/inspector-payload';
import { diffTrees } from '../../src/views/tree-diff';
import { TreeModel, DEFAULT_TREE_OPTIONS } from '../../src/views/tree-model';

/**
 * The extension's UI code paths, timed: the Questions tree over 50,000 problems, the
 * inspector payload of a 64-response problem, and loading the extension bundle.
 * Targets: tree root + first 1,000 children < 100 ms; payload < 50 ms; require < 100 ms.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const texts: string[] = readFileSync(new URL('../../media/demo/math_cot_50.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .flatMap((l) => (JSON.parse(l) as { response: string[] }).response);

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function synthetic(problems: number, responsesEach: number): RunState {
  const next = rng(42);
  const settings = RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'bench.jsonl', sha256: '0'.repeat(64) },
    policy: { baseURLs: ['http://127.0.0.1:1/v1'], model: 'bench' },
    prm: { protocol: 'http-json', baseURLs: ['http://127.0.0.1:2/prm'] },
    budget: { N: Math.max(8, responsesEach), presample: 3 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
  });
  const list: Problem[] = [];
  const byProblem = new Map<string, Response[]>();
  const grades = new Map<string, Grade>();
  const prm = new Map<string, StepScores>();
  for (let i = 0; i < problems; i++) {
    const id = `bench/${i}`;
    list.push({ id, question: `Problem ${i}: ${texts[i % texts.length]!.slice(0, 200)}`, answer: String(i % 97), source: { file: 'bench.jsonl', line: i + 1 } });
    const skill = next();
    const rs: Response[] = [];
    for (let slot = 0; slot < responsesEach; slot++) {
      const rid = `${id}:${slot}`;
      const text = texts[(i * 7 + slot) % texts.length]!;
      rs.push({ id: rid, problemId: id, slot, stage: slot < 3 ? 'pre' : 're', text, finishReason: 'stop', usage: { prompt: 100, completion: 400 }, model: 'bench', latencyMs: 1, at: '2026-01-01T00:00:00Z', round: 0 });
      const correct = next() < skill;
      grades.set(rid, { responseId: rid, extracted: '1', method: 'box', correct, grader: 'bench' });
      const steps = text.split('\n\n').length;
      prm.set(rid, { responseId: rid, scores: Array.from({ length: steps }, () => (correct ? 0.5 : 0) + next() * 0.5), model: 'bench' });
    }
    byProblem.set(id, rs);
  }
  return deriveRunState({
    settings,
    problems: list,
    responsesOf: (id) => byProblem.get(id) ?? [],
    grade: (id) => grades.get(id),
    prm: (id) => prm.get(id),
    reward: () => undefined,
    events: [],
  });
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const v = fn();
  return [v, performance.now() - t];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const verdict = (ms: number, target: number) => `${fmt(ms)} (target < ${target} ms: ${ms < target ? 'met' : 'MISSED'})`;

// 1. The tree over 50,000 problems.
const [big, deriveMs] = time(() => synthetic(50_000, 3));
const largest = (['boundary', 'inlier', 'outlier'] as const).reduce((a, b) => (big.counts[a] >= big.counts[b] ? a : b));
const treeRuns: number[] = [];
for (let i = 0; i < 5; i++) {
  treeRuns.push(
    time(() => {
      const tree = new TreeModel(big, { ...DEFAULT_TREE_OPTIONS, sort: 'phiR' });
      tree.roots();
      return tree.children(largest, 1_000);
    })[1],
  );
}
const [, filterMs] = time(() => {
  const tree = new TreeModel(big, { ...DEFAULT_TREE_OPTIONS, filter: 'triangle' });
  return tree.roots().map((g) => tree.children(g.group, 1_000));
});
// An edit as the extension applies it: the event relabels the state (no log re-read), the tree diffs.
const before = new TreeModel(big);
const target = big.problems.find((p) => p.effective === 'boundary')!.problem.id;
const event = { id: 'e1', at: '2026-01-01T00:00:00Z', author: 'bench', type: 'reviewed' as const, problemId: target, reviewed: true };
const [edited, relabelMs] = time(() => relabel({ ...big, events: activeEvents([event]) }));
const [change, diffMs] = time(() => diffTrees(before, new TreeModel(edited)));
console.log(`tree: 50,000 problems (${big.counts.boundary} Boundary, ${big.counts.inlier} Inlier, ${big.counts.outlier} Outlier; derived in ${fmt(deriveMs)}, not part of the target)`);
console.log(`  root + first 1,000 children of ${largest}, sorted by phi_r: median ${verdict(median(treeRuns), 100)}; runs ${treeRuns.map(fmt).join(', ')}`);
console.log(`  with a text filter, every group's first page: ${fmt(filterMs)}`);
console.log(`  one edit (mark reviewed): relabel ${fmt(relabelMs)}, tree diff ${fmt(diffMs)}, refreshes ${change.full ? 'everything' : `groups [${change.groups.join(', ')}]`}`);

// 2. The inspector payload of a problem with 64 responses.
const [wide] = time(() => synthetic(1, 64));
const tree = new TreeModel(wide);
const id = wide.problems[0]!.problem.id;
const ctx = { state: wide, tree, compare: null, canUndo: false, runsEnabled: true };
const [payload, coldMs] = time(() => buildInspectorPayload(id, ctx)!);
const warm: number[] = [];
for (let i = 0; i < 5; i++) warm.push(time(() => buildInspectorPayload(id, ctx))[1]);
const [json, jsonMs] = time(() => JSON.stringify({ kind: 'render', payload }));
console.log(`inspector payload: 64 responses, ${payload.responses.reduce((a, r) => a + r.steps.length, 0)} steps, ${(json.length / 1024).toFixed(0)} KiB`);
console.log(`  first build (steps split on demand) ${verdict(coldMs, 50)}; again: median ${fmt(median(warm))}; serialised in ${fmt(jsonMs)}`);

// 3. Activation: a fresh process requiring the bundle.
const loads: number[] = [];
for (let i = 0; i < 5; i++) {
  const out = execFileSync(process.execPath, ['-r', './bench/ui/vscode-shim.cjs', '-e', "const t=performance.now();require('./dist/extension.js');console.log(performance.now()-t)"], { cwd: ROOT, encoding: 'utf8' });
  loads.push(Number(out.trim()));
}
console.log(`activation: require of dist/extension.js (${(readFileSync(`${ROOT}dist/extension.js`).length / 1024).toFixed(0)} KiB): median ${verdict(median(loads), 100)}; runs ${loads.map(fmt).join(', ')}`);
