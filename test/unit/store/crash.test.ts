import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFixture } from './fixtures/bundle';
import { ProjectStore } from '../../../src/store/project';
import { settings, problems } from './fixtures/records';

const TRIALS = 20;

/** Runs the appender until it has stored something, kills it with SIGKILL after a random delay. */
function runAndKill(script: string, dir: string, seed: number, delayMs: number): Promise<{ reported: string[]; ready: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      out += String(d);
      if (!timer && out.includes('\n') && out.split('\n').length > 2) {
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`appender exited with ${code}: ${err}`));
      // Only complete lines were reported: a line cut by the kill is not a report.
      const lines = out.split('\n').slice(0, -1);
      resolve({ ready: lines[0] ?? '', reported: lines.slice(1), pid: child.pid! });
    });
  });
}

test(`SIGKILL while appending never loses a reported record and the folder always reopens (${TRIALS} trials)`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-crash-'));
  try {
    const script = await bundleFixture('appender', dir);
    const project = join(dir, 'project');
    const store = await ProjectStore.create(project, settings(), problems(50));
    await store.close();

    const reported = new Set<string>();
    let previousPid = 0;
    let tornSeen = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const run = await runAndKill(script, project, trial + 1, 5 + ((trial * 37) % 40));
      for (const id of run.reported) reported.add(id);
      // The killed child left its lock behind; the next writer takes it over with a warning.
      if (previousPid) assert.match(run.ready, new RegExp(`took over the lock left by process ${previousPid}`));
      // ...and cuts a torn tail it found, reporting it.
      if (trial % 4 === 0 && trial > 0) {
        const seen = JSON.parse(run.ready.slice('ready '.length)) as { torn: { file: string; bytes: number }[] };
        assert.equal(seen.torn.length, 1, run.ready);
        assert.ok(seen.torn[0]!.file.endsWith('responses.jsonl') && seen.torn[0]!.bytes >= 61, run.ready);
      }
      previousPid = run.pid;

      // A kill in the middle of a write(2) leaves part of a line. Writes this small rarely
      // tear on their own, so every fourth trial leaves such a tail as a torn write would.
      if (trial % 4 === 3) appendFileSync(join(project, 'responses.jsonl'), '{"kind":"response","id":"p0:99999","problemId":"p0","slot":99');

      const { store: reopened, recovery } = await ProjectStore.open(project, { write: false });
      try {
        for (const id of reported) assert.ok(reopened.hasResponse(id), `trial ${trial}: reported ${id} was lost`);
        const bytes = readFileSync(join(project, 'responses.jsonl'));
        const endsClean = bytes.length === 0 || bytes[bytes.length - 1] === 10;
        // A torn tail is always reported, never silently dropped.
        assert.equal(recovery.torn.length > 0, !endsClean, `trial ${trial}: torn report ${JSON.stringify(recovery.torn)}`);
        if (!endsClean) {
          tornSeen++;
          assert.equal(recovery.torn[0]!.file, join(project, 'responses.jsonl'));
          assert.equal(recovery.torn[0]!.bytes, bytes.length - bytes.lastIndexOf(10) - 1);
        }
        // Every stored record reads back whole.
        for (const r of reopened.responsesOf('p7')) assert.ok(r.text.endsWith('\\boxed{42}'));
      } finally {
        await reopened.close();
      }
    }
    // A final writer repairs the tail: the file ends on a complete line.
    const { store: last } = await ProjectStore.open(project, { write: true });
    const count = last.responseCount;
    await last.close();
    const size = statSync(join(project, 'responses.jsonl')).size;
    assert.equal(readFileSync(join(project, 'responses.jsonl')).subarray(size - 1)[0], 10);
    assert.ok(count >= reported.size);
    assert.ok(tornSeen >= TRIALS / 4);
    console.log(`# ${TRIALS} kills, ${reported.size} reported records all kept, ${count} stored, ${tornSeen} torn tails dropped and reported`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
