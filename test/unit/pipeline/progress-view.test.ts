import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressView } from '../../../src/cli/commands/progress-view';
import { emptyProgress } from '../../../src/pipeline/engine/progress';
import type { PipelineEvent } from '../../../src/pipeline/pipeline-events';

function view(tty: boolean) {
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
  stderr.isTTY = tty;
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c));
  const show = progressView({ stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: '.' });
  return { show, text: () => text };
}

const run = (show: (e: PipelineEvent) => void) => {
  show({ kind: 'task-start', stage: 'rde', task: 'sample', total: 100 });
  for (let done = 0; done <= 100; done += 5) {
    show({ kind: 'progress', stage: 'rde', task: 'sample', total: 100, progress: { ...emptyProgress(), done, inFlight: 3, promptTokens: 10 * done, completionTokens: 200 * done, costUsd: done / 1000 } });
  }
  show({ kind: 'task-end', stage: 'rde', task: 'sample', total: 100, status: 'completed', progress: { ...emptyProgress(), done: 100, promptTokens: 1000, completionTokens: 20000, costUsd: 0.1 } });
};

test('plain lines when not on a terminal: start, about every tenth, end', () => {
  const v = view(false);
  run(v.show);
  const lines = v.text().trimEnd().split('\n');
  assert.equal(lines[0], 'rde: sample: 100 to do');
  assert.equal(lines.at(-1), 'rde: sample: completed, 100/100  in flight 0  failed 0  tokens 21.0k  $0.1000');
  assert.equal(lines.length, 12); // start, 0 %, 10 % … 90 %, end
  assert.ok(!v.text().includes('\r'));
});

test('a redrawn bar on a terminal, cleared before the final line', () => {
  const v = view(true);
  run(v.show);
  const t = v.text();
  assert.match(t, /\r\x1b\[2Krde: sample \[#*\.*\] 0\/100/);
  assert.match(t, /\r\x1b\[2Krde: sample: completed, 100\/100/);
});
