import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../support/test-server';
import { readWritten } from '../../support/sampling-child';

const NODE = process.execPath;
const CHILD = join(import.meta.dirname, '../../support/sampling-child.ts');

function child(args: string[]) {
  return spawn(NODE, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

test('a run killed with SIGKILL resumes without losing a paid response or buying one twice', { timeout: 60_000 }, async (t) => {
  const server = await startTestServer({ latencyMs: 30, record: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-resume-'));
  const file = join(dir, 'responses.jsonl');
  const problems = 40;
  const slots = 4;
  const concurrency = 8;
  try {
    const first = child([server.v1, file, String(problems), String(slots), String(concurrency)]);
    const exited = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
    for (;;) {
      if ((await readWritten(file)).length >= 40) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.kill('SIGKILL');
    assert.equal(await exited, null, 'the first run was killed, not finished');
    await new Promise((r) => setTimeout(r, 100)); // let the server notice the dead connections

    const paidBeforeKill = server.stats.samplesServed;
    const writtenBeforeKill = (await readWritten(file)).length;
    const lostInFlight = paidBeforeKill - writtenBeforeKill;
    assert.ok(writtenBeforeKill < problems * slots, 'killed mid-run');
    assert.ok(lostInFlight >= 0 && lostInFlight <= concurrency, `paid but unwritten: ${lostInFlight}`);

    t.diagnostic(`killed after ${writtenBeforeKill} written; ${lostInFlight} paid in flight at the kill`);
    const second = child([server.v1, file, String(problems), String(slots), String(concurrency)]);
    let out = '';
    second.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    assert.equal(code, 0);
    assert.equal(JSON.parse(out).status, 'completed');

    const ids = await readWritten(file);
    assert.equal(ids.length, problems * slots, 'every slot written');
    assert.equal(new Set(ids).size, ids.length, 'no slot written twice');
    // Bought twice = paid in total minus needed; only responses in flight at the kill may be.
    assert.equal(server.stats.samplesServed - problems * slots, lostInFlight);
    assert.equal(server.stats.samplesServed - paidBeforeKill, problems * slots - writtenBeforeKill, 'the resumed run bought only what was missing');
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
