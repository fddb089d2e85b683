import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../src/cli/bin.ts', import.meta.url));

/** Runs the real `hsstar` entry point in a child process, feeding stdin. */
function hsstar(args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

/** `hsstar grade` over one JSON line per case; it must exit 0, and its output lines are parsed. */
async function verdicts(cases: object[]): Promise<unknown[]> {
  const r = await hsstar(['grade'], cases.map((x) => JSON.stringify(x)).join('\n') + '\n');
  assert.equal(r.code, 0, r.err);
  return r.out.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

test('hsstar grade reads JSON lines and writes one verdict per line, in order', async () => {
  const input = [
    { response: 'So the total is \\boxed{10{,}000}.', gt: '10000' },
    { prediction: '\\frac12', gt: '0.5' },
    { response: 'She pays 3 + 4 = 7 dollars', gt: 7, data_name: 'gsm8k' },
    { response: 'The answer is $(1, 2]$.', gt: '(1,2)' },
    { response: 'no answer at all', gt: '3' },
  ];
  assert.deepEqual(
    await verdicts(input),
    [
      { extracted: '10{,}000', method: 'box', equal: true },
      { extracted: '\\frac12', method: 'given', equal: true },
      { extracted: '7', method: 'last-number', equal: true },
      { extracted: '(1, 2]', method: 'phrase', equal: false },
      { extracted: null, method: 'none', equal: false },
    ],
  );
});

test('a bad line keeps its place with an error and makes the exit code 1', async () => {
  const r = await hsstar(['grade'], '{"prediction":"2","gt":"2"}\nnot json\n{"gt":"1"}\n{"prediction":"3","gt":"4"}\n');
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  assert.equal(lines[0].equal, true);
  assert.match(lines[1].error, /^stdin:2: not JSON/);
  assert.match(lines[2].error, /^stdin:3: .*"response" or "prediction"/);
  assert.equal(lines[3].equal, false);
  assert.match(r.err, /stdin:2/);
});

test('--pred/--gt grades one case; missing --gt is a usage error', async () => {
  const one = await hsstar(['grade', '--pred', 'x = \\dfrac{3}{4}', '--gt', '0.75']);
  assert.equal(one.code, 0);
  assert.deepEqual(JSON.parse(one.out), { extracted: 'x = \\dfrac{3}{4}', method: 'given', equal: true });
  const bad = await hsstar(['grade', '--pred', '3']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--gt is required/);
});

test("hsstar grade finds MATH500's own thousands equal to the number a model writes, and reads phrases as models write them", async () => {
  const input = [
    { prediction: '10080', gt: '10,\\!080' },
    { prediction: '32348', gt: '\\$32,\\!348' },
    { prediction: '11111111100', gt: '11,\\! 111,\\! 111,\\! 100' },
    { response: 'Final Answer: The largest $n$ is 34.', gt: '34' },
    { response: 'Check: \\boxed{4} was wrong.\nFinal Answer: The final answer is $5$. I hope it is correct.', gt: '5', data_name: 'minerva_math' },
    { response: 'Adding up, 3 + 4 = 7', gt: '7', data_name: 'math' },
  ];
  assert.deepEqual(
    await verdicts(input),
    [
      { extracted: '10080', method: 'given', equal: true },
      { extracted: '32348', method: 'given', equal: true },
      { extracted: '11111111100', method: 'given', equal: true },
      { extracted: '34', method: 'phrase', equal: true },
      { extracted: '5', method: 'phrase', equal: true },
      { extracted: '7', method: 'last-number', equal: true },
    ],
  );
});

test('a caller feeding one line at a time gets each verdict before sending the next', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'grade'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no verdict within 20 s; so far ${JSON.stringify(out)}`)), 20_000);
      const check = () => {
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        resolve(line);
      };
      const onData = (d: Buffer) => {
        out += String(d);
        check();
      };
      child.stdout.on('data', onData);
      check();
    });
  child.stdin.write(JSON.stringify({ prediction: '10080', gt: '10,\\!080' }) + '\n');
  assert.deepEqual(JSON.parse(await nextLine()), { extracted: '10080', method: 'given', equal: true });
  child.stdin.write(JSON.stringify({ prediction: '3', gt: '4' }) + '\n');
  assert.deepEqual(JSON.parse(await nextLine()), { extracted: '3', method: 'given', equal: false });
  child.stdin.end();
  const code = await new Promise((r) => child.on('close', r));
  assert.equal(code, 0);
});
