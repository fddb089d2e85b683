import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIO } from '../support/cli-capture';
import { git } from '../support/git';
import { HAND_CASE } from '../unit/core/team-hand-case';

const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-9;

test('two annotators in two clones of a run, then git merge: no conflict, the union of their events, labels, kappa and alpha as computed by hand', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-git-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  mkdirSync(home);
  const cli = async (...argv: string[]) => {
    const io = captureIO(root, { HSSTAR_CONFIG_DIR: join(root, 'config') });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  const dataset = join(root, 'data.jsonl');
  await writeFile(dataset, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'].map((id, i) => JSON.stringify({ id, question: `What is ${i} + 1?`, answer: String(i + 1) }) + '\n').join(''));
  const origin = join(root, 'origin');
  assert.equal((await cli('init', origin, '--dataset', dataset, '--policy-url', 'http://127.0.0.1:9/v1')).code, 0);
  assert.match(await readFile(join(origin, '.gitattributes'), 'utf8'), /^events\/\*\.jsonl merge=union$/m);
  git(origin, home, 'init', '-q');
  git(origin, home, 'add', '-A');
  git(origin, home, 'commit', '-qm', 'new run');
  assert.equal(git(origin, home, 'ls-files').split('\n').filter(Boolean).sort().join(' '), '.gitattributes .gitignore hsstar.json problems.jsonl responses.jsonl scores.jsonl');

  const a = join(root, 'clone-a');
  const b = join(root, 'clone-b');
  git(root, home, 'clone', '-q', origin, a);
  git(root, home, 'clone', '-q', origin, b);
  // Clone A: ann's first four and cara's; clone B: bob's, and ann's last (the same author file changed in both clones).
  for (const [author, problem, label] of HAND_CASE) {
    const where = author === 'bob' || (author === 'ann' && problem === 'p5') ? b : a;
    const r = await cli('label', where, problem, '--as', label, '--reason', `${author}: ${label}`, '--author', author);
    assert.equal(r.code, 0, r.err);
  }
  assert.equal(git(a, home, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort().join(' '), '?? events/ann.jsonl ?? events/cara.jsonl', 'only the events files are new; locks stay out');
  for (const [clone, who] of [[a, 'ann and cara'], [b, 'bob and ann']] as const) {
    git(clone, home, 'add', '-A');
    git(clone, home, 'commit', '-qm', `labels by ${who}`);
  }
  git(a, home, 'fetch', '-q', b, 'HEAD');
  git(a, home, 'merge', '-q', '--no-edit', 'FETCH_HEAD'); // throws on a conflict
  assert.equal(git(a, home, 'diff', '--name-only', '--diff-filter=U'), '');
  assert.equal((await readFile(join(a, 'events', 'ann.jsonl'), 'utf8')).trim().split('\n').length, 5, 'ann\'s lines from both clones');

  const status = async () => {
    const r = await cli('status', a, '--json');
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as { problems: { id: string; label: string; labelSource: string }[]; agreement: { annotators: string[]; pairs: { a: string; b: string; items: number; kappa: number | null }[]; alpha: number | null; units: number; conflicts: string[] } };
  };
  let st = await status();
  assert.deepEqual(st.agreement.annotators, ['ann', 'bob', 'cara']);
  const kappa = Object.fromEntries(st.agreement.pairs.map((p) => [`${p.a}-${p.b}`, p.kappa]));
  assert.ok(close(kappa['ann-bob']!, 7 / 11), `ann-bob ${kappa['ann-bob']}`);
  assert.ok(close(kappa['ann-cara']!, 1 / 2));
  assert.ok(close(kappa['bob-cara']!, 0));
  assert.ok(close(st.agreement.alpha, 5 / 9));
  assert.deepEqual(st.agreement.conflicts, ['p2', 'p4']);
  const labels = () => Object.fromEntries(st.problems.map((p) => [p.id, `${p.label}/${p.labelSource}`]));
  assert.deepEqual(labels(), { p0: 'unlabelled/derived', p1: 'inlier/override', p2: 'unlabelled/derived', p3: 'outlier/override', p4: 'unlabelled/derived', p5: 'inlier/override' });
  const text = await cli('status', a);
  assert.match(text.out, /kappa {5}ann \/ bob: 0\.636 \(Cohen's, 4 problems both labelled, 75% the same\)/);
  assert.match(text.out, /Krippendorff's alpha 0\.556 over 5 problems/);
  assert.match(text.out, /conflicts 2 to resolve .*: p2, p4/);

  // The conflicts resolved: bob made lead settles p2 (and p4, where he agrees with ann); a resolution overrides a lead.
  assert.equal((await cli('role', a, 'bob', '--lead', '--author', 'ann')).code, 0);
  assert.equal((await cli('resolve', a, 'p4', '--as', 'inlier', '--reason', 'discussed: the answer key is right', '--author', 'cara')).code, 0);
  st = await status();
  assert.deepEqual(st.agreement.conflicts, []);
  assert.equal(labels().p2, 'outlier/override');
  assert.equal(labels().p4, 'inlier/override');
  assert.ok(close(st.agreement.alpha, 5 / 9), 'resolutions change labels, not the agreement between annotators');
});

test('init --git-logs ignore keeps the run\'s logs out of git; track (the default) keeps them in', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-git-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  mkdirSync(home);
  const dataset = join(root, 'data.jsonl');
  await writeFile(dataset, JSON.stringify({ id: 'p0', question: 'What is 1 + 1?', answer: '2' }) + '\n');
  const io = captureIO(root);
  assert.equal(await main(['init', 'run', '--dataset', dataset, '--git-logs', 'ignore'], io), 0, io.err());
  const dir = join(root, 'run');
  git(dir, home, 'init', '-q');
  assert.equal(git(dir, home, 'check-ignore', 'responses.jsonl', 'scores.jsonl', '.lock', 'events/ann.lock', 'exports/x.jsonl').trim().split('\n').length, 5);
  assert.throws(() => git(dir, home, 'check-ignore', 'events/ann.jsonl', 'hsstar.json', 'problems.jsonl'), 'events, settings and problems are tracked');
  const bad = captureIO(root);
  assert.equal(await main(['init', 'run2', '--dataset', dataset, '--git-logs', 'maybe'], bad), 2);
  assert.match(bad.err(), /--git-logs must be track or ignore, not 'maybe'/);
});
