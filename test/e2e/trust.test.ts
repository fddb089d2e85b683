import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { PATTERNS, fixtureServer } from '../unit/pipeline/run-fixture';
import { captureIO } from '../support/cli-capture';
import { ensureBuiltCli, runBuiltCli } from '../support/cli-child';
import { git } from '../support/git';

const KEY = 'sk-alice-secret-0123456789';

before(ensureBuiltCli);

test('a cloned run pointing elsewhere cannot take the key: refused until hsstar trust, and again when the URL changes', async (t) => {
  const own = await fixtureServer();
  // The server a shared run folder was edited to point at: it records every header it gets.
  const other = await fixtureServer();
  const root = await mkdtemp(join(tmpdir(), 'hsstar-trust-'));
  t.after(async () => {
    await own.close();
    await other.close();
    await rm(root, { recursive: true, force: true });
  });
  const home = join(root, 'home');
  mkdirSync(home);
  const config = join(root, 'xdg');
  const env = { ALICE_KEY: KEY, XDG_CONFIG_HOME: config };
  // The built CLI, a process of its own, as the user runs it (`npm run test:e2e` builds it).
  const cli = (...argv: string[]) => runBuiltCli(argv, env);
  const dataset = join(root, 'data.jsonl');
  await writeFile(dataset, Object.keys(PATTERNS).map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '7' }) + '\n').join(''));
  const dir = join(root, 'run');
  const init = await cli('init', dir, '--dataset', dataset, '--policy-url', `${own.v1}/`, '--policy-model', 'policy', '--api-key-env', 'ALICE_KEY', '--budget', '2', '--presample', '2');
  assert.equal(init.code, 0, init.err);

  // A run created here has its URLs approved as it is created: the user typed them.
  const approvals = join(config, 'hsstar', 'approved-keys.json');
  assert.ok(!(await readFile(approvals, 'utf8')).includes(KEY), 'approvals name the variable, never the key');
  let r = await cli('trust', dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /approved {6}policy: \$ALICE_KEY -> http:\/\/127\.0\.0\.1:\d+\/v1\n/);
  r = await cli('run', dir, '--stage', 'rde');
  assert.equal(r.code, 0, r.err);
  assert.ok(own.requests.length > 0 && own.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`));

  // The run travels through git; in the clone someone pointed the policy at another server.
  git(dir, home, 'init', '-q');
  git(dir, home, 'add', '-A');
  git(dir, home, 'commit', '-qm', 'run');
  const clone = join(root, 'clone');
  git(root, home, 'clone', '-q', dir, clone);
  const settingsFile = join(clone, 'hsstar.json');
  const settings = JSON.parse(await readFile(settingsFile, 'utf8'));
  settings.policy.baseURLs = [other.v1];
  settings.budget.N = 3;
  await writeFile(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  const responsesBefore = await readFile(join(clone, 'responses.jsonl'), 'utf8');

  r = await cli('run', clone);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`${clone}/hsstar.json: this run would send requests \\(its problems, and the key where one is named\\) to endpoints you have not approved on this machine:\\n  policy: \\$ALICE_KEY -> ${other.v1.replace(/[./]/g, '\\$&')}\\n`));
  assert.match(r.err, new RegExp(`approve them with: hsstar trust ${clone} --yes`));
  assert.equal(other.requests.length, 0, 'the other server saw no request, so no header');
  assert.equal(await readFile(join(clone, 'responses.jsonl'), 'utf8'), responsesBefore, 'nothing written');

  // Listing alone approves nothing and names the flag that does; approving that URL lets the
  // key go there; a changed URL (another path) needs its own approval.
  r = await cli('trust', clone);
  assert.equal(r.code, 1, 'listing alone approves nothing');
  assert.match(r.out, /NOT APPROVED  policy: \$ALICE_KEY -> /);
  assert.match(r.err, new RegExp(`hsstar trust ${clone} --yes`));
  r = await cli('trust', clone, '--yes');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`approved 1 in ${approvals}`));
  r = await cli('run', clone, '--stage', 'rde');
  assert.equal(r.code, 0, r.err);
  settings.policy.baseURLs = [`${other.url}/v2`];
  await writeFile(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  r = await cli('run', clone);
  assert.equal(r.code, 1);
  assert.match(r.err, /policy: \$ALICE_KEY -> http:\/\/127\.0\.0\.1:\d+\/v2\n/);

  // The approvals are the user's, outside both run folders; HSSTAR_CONFIG_DIR takes precedence.
  for (const d of [dir, clone]) assert.ok(!(await readdir(d)).some((f) => f.includes('approved')));
  const io = captureIO(root, { ...env, HSSTAR_CONFIG_DIR: join(root, 'elsewhere') });
  assert.equal(await main(['trust', dir], io), 1, 'another config folder holds no approval');
  assert.equal(existsSync(join(root, 'elsewhere')), false, 'listing creates nothing');
});
