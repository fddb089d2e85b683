import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { ProjectStore } from '../../src/store/project';
import { stateOf } from '../../src/pipeline/derive-from-store';
import { PATTERNS, fixtureServer } from '../unit/pipeline/run-fixture';
import { captureIO } from '../support/cli-capture';
import { eventsOnDisk } from '../support/event-files';

/** Every file of the events folder with its bytes: "nothing written" is checked on disk. */
async function eventsFolder(dir: string): Promise<Record<string, string>> {
  const names = await readdir(join(dir, 'events')).catch(() => [] as string[]);
  const out: Record<string, string> = {};
  for (const n of names.sort()) out[n] = await readFile(join(dir, 'events', n), 'utf8');
  return out;
}

async function derived(dir: string) {
  const { store } = await ProjectStore.open(dir, { write: false });
  try {
    return stateOf(store);
  } finally {
    await store.close();
  }
}

test('label, review, pair, undo and label --from: the extension\'s events and checks, nothing written on error', async (t) => {
  const server = await fixtureServer();
  const root = await mkdtemp(join(tmpdir(), 'hsstar-curate-'));
  t.after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });
  const dataset = join(root, 'data.jsonl');
  await writeFile(dataset, Object.keys(PATTERNS).map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '7' }) + '\n').join(''));
  const dir = join(root, 'run');
  const cli = async (...argv: string[]) => {
    const io = captureIO(root, { HSSTAR_AUTHOR: 'env-author' });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  const init = await cli('init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'policy', '--n-per-request', '2',
    '--prm-protocol', 'http-json', '--prm-url', `${server.url}/prm`, '--prm-model', 'prm', '--budget', '4', '--presample', '2', '--seed', '1234');
  assert.equal(init.code, 0, init.err);
  assert.equal((await cli('run', dir)).code, 0);
  const before = await derived(dir);
  assert.deepEqual(before.problems.map((p) => p.effective), ['inlier', 'outlier', 'boundary', 'boundary']);
  const pair = before.byId.get('q2')!.pairs[0]!;

  // Refused edits: a clear message, exit 1 (2 for usage), and the events folder unchanged.
  const untouched = await eventsFolder(dir);
  const refusals: [string[], number, RegExp][] = [
    [['label', dir, 'q9', '--as', 'inlier', '--reason', 'x'], 1, /Unknown problem q9/],
    [['label', dir, 'q0', '--as', 'easy', '--reason', 'x'], 1, /label: .*"inlier"/],
    [['label', dir, 'q0', '--as', 'inlier', '--reason', '   '], 1, /reason/],
    [['label', dir, 'q0', '--as', 'inlier'], 2, /missing --reason/],
    [['label', dir, 'q0', '--clear'], 1, /q0 has no curator override to clear/],
    [['pair', dir, 'q2', 'swap', 'q2:0', 'q2:5'], 1, /No pair .* in q2/],
    [['pair', dir, 'q2', 'add', 'q2:0', 'q9:0'], 1, /No response q9:0 in q2/],
    [['pair', dir, 'q2', 'add', pair.chosenId, pair.rejectedId], 1, /already exists/],
    [['pair', dir, 'q2', 'flip', 'q2:0', 'q2:1'], 2, /ACTION must be one of/],
    [['undo', dir, '--author', 'nobody'], 1, /Nothing of nobody to undo/],
    [['review', join(root, 'nowhere'), 'q0'], 1, /not a project folder/],
  ];
  for (const [argv, code, message] of refusals) {
    const r = await cli(...argv);
    assert.equal(r.code, code, `${argv.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.err, message, argv.join(' '));
    assert.deepEqual(await eventsFolder(dir), untouched, `${argv.join(' ')} wrote nothing`);
  }

  // Accepted edits, each the event the extension writes for the same intent.
  let r = await cli('label', dir, 'q0', '--as', 'boundary', '--reason', 'looks easy, is not', '--author', 'ann');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /ann: q0: label set to boundary \(looks easy, is not\)/);
  assert.equal((await cli('review', dir, 'q2')).code, 0);
  assert.equal((await cli('pair', dir, 'q2', 'swap', pair.chosenId, pair.rejectedId, '--author', 'bob')).code, 0);
  const q3 = before.byId.get('q3')!.pairs[0]!;
  assert.equal((await cli('pair', dir, 'q3', 'pin', q3.chosenId, q3.rejectedId, '--author', 'bob')).code, 0);
  const written = eventsOnDisk(dir);
  assert.deepEqual(written.map((e) => [e.author, e.type]), [
    ['ann', 'label-override'],
    ['bob', 'pair-swap'],
    ['bob', 'pair-pin'],
    ['env-author', 'reviewed'],
  ]);
  assert.deepEqual(Object.keys(written[0]!).sort(), ['at', 'author', 'id', 'label', 'problemId', 'reason', 'type']);
  let state = await derived(dir);
  assert.equal(state.byId.get('q0')!.effective, 'boundary');
  assert.equal(state.byId.get('q0')!.labelSource, 'override');
  assert.equal(state.byId.get('q2')!.reviewed, true);
  const swapped = state.byId.get('q2')!.pairs.find((p) => p.chosenId === pair.rejectedId && p.rejectedId === pair.chosenId);
  assert.ok(swapped, 'the pair is swapped');
  assert.equal(state.byId.get('q3')!.pairs.find((p) => p.chosenId === q3.chosenId)!.pinned, true);

  // Undo takes the author's own last edit: ann's label, not bob's pin.
  r = await cli('undo', dir, '--author', 'ann');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`ann: undid ${written[0]!.id}`));
  state = await derived(dir);
  assert.equal(state.byId.get('q0')!.effective, 'inlier');
  assert.equal(state.byId.get('q3')!.pairs.find((p) => p.chosenId === q3.chosenId)!.pinned, true);

  // Bulk import: a bad line stops it with file and line, nothing written; the fixed file imports once.
  const file = join(root, 'decisions.jsonl');
  const lines = [
    { problemId: 'q1', label: 'boundary', reason: 'grader too strict', author: 'cara', at: '2026-01-02T10:00:00Z', confidence: 0.8 },
    { problemId: 'q2', label: 'inlier', reason: 'trivial' },
    { problemId: 'q7', label: 'outlier', reason: 'no such problem' },
  ];
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const beforeImport = await eventsFolder(dir);
  r = await cli('label', dir, '--from', file);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`${file}:3: Unknown problem q7`));
  assert.deepEqual(await eventsFolder(dir), beforeImport);
  await writeFile(file, lines.slice(0, 2).map((l) => JSON.stringify(l)).join('\n') + '\n{"problemId": "q3", "label": "inlier"}\n');
  r = await cli('label', dir, '--from', file);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`${file}:3: reason: `));
  await writeFile(file, lines.slice(0, 2).map((l) => JSON.stringify(l)).join('\n') + '\n');
  r = await cli('label', dir, '--from', file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 2 decisions/);
  r = await cli('label', dir, '--from', file);
  assert.match(r.out, /imported 0 decisions \(2 already imported\)/);
  state = await derived(dir);
  assert.equal(state.byId.get('q1')!.label.override?.author, 'cara');
  assert.equal(state.byId.get('q1')!.label.override?.at, '2026-01-02T10:00:00Z');
  assert.equal(state.byId.get('q2')!.label.override?.author, 'env-author');
});
