import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { ProjectStore } from '../../../src/store/project';
import { RunSettings, type Problem } from '../../../src/core/schema/index';
import { captureIO } from '../../support/cli-capture';

function io(cwd: string) {
  const cli = captureIO(cwd);
  return { cli, out: cli.out, err: cli.err };
}

const problems: Problem[] = [
  { id: 'p1', question: 'What is 1+1?', answer: '2', source: { file: 'd.jsonl', line: 1 } },
  { id: 'p2', question: 'What is 2+3?', answer: '5', source: { file: 'd.jsonl', line: 2 } },
];

test('hsstar batch export and import, and their usage errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-batch-cli-'));
  try {
    const settings = RunSettings.parse({
      formatVersion: 1,
      dataset: { path: 'd.jsonl', sha256: 'b'.repeat(64) },
      policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'm', nPerRequest: 1 },
      budget: { N: 2, presample: 1 },
      thresholds: { tauLow: 0.15, tauHigh: 0.65 },
    });
    await (await ProjectStore.create(join(dir, 'run'), settings, problems)).close();

    let t = io(dir);
    assert.equal(await main(['batch', 'export', 'run', '--stage', 'rde', '--out', 'in.jsonl'], t.cli), 0, t.err());
    assert.match(t.out(), /2 requests for 2 responses \(stage rde\)/);
    const lines = (await readFile(join(dir, 'in.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.custom_id), ['hsstar:p1:0', 'hsstar:p2:0']);

    const output = lines.map((l, i) =>
      JSON.stringify({
        id: `b${i}`,
        custom_id: l.custom_id,
        response: { status_code: 200, request_id: `r${i}`, body: { choices: [{ index: 0, message: { content: `\\boxed{${i === 0 ? 2 : 4}}` }, finish_reason: 'stop' }] } },
        error: null,
      }),
    );
    await writeFile(join(dir, 'out.jsonl'), output.join('\n') + '\n');
    t = io(dir);
    assert.equal(await main(['batch', 'import', 'run', 'out.jsonl'], t.cli), 0, t.err());
    assert.match(t.out(), /2 lines: 2 responses stored, 0 already stored/);
    t = io(dir);
    assert.equal(await main(['batch', 'import', 'run', 'out.jsonl'], t.cli), 0, t.err());
    assert.match(t.out(), /0 responses stored, 2 already stored/);

    for (const [argv, text] of [
      [['batch'], /missing export, import or wait/],
      [['batch', 'submit', 'run'], /unknown batch command 'submit'/],
      [['batch', 'export', 'run', '--out', 'x.jsonl'], /--stage must be rde or resample/],
      [['batch', 'export', 'run', '--stage', 'pairs', '--out', 'x.jsonl'], /not 'pairs'/],
      [['batch', 'export', 'run', '--stage', 'rde'], /missing --out FILE/],
      [['batch', 'import', 'run'], /missing FILE/],
      [['batch', 'import', 'run', 'a', 'b'], /unexpected argument 'b'/],
      [['batch', 'export', 'run', '--stage', 'rde', '--out', 'x', '--bogus'], /bogus/],
    ] as const) {
      t = io(dir);
      assert.equal(await main([...argv], t.cli), 2, argv.join(' '));
      assert.match(t.err(), text);
    }
    t = io(dir);
    assert.equal(await main(['batch', 'export', 'run', '--stage', 'rde', '--out', 'in.jsonl'], t.cli), 1);
    assert.match(t.err(), /in\.jsonl: already exists; pass --force/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
