import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runMaySample } from '../../../src/cli/commands/run-flags';

test('the sampling thread starts first only for a run that may buy responses', () => {
  const samples = ['run d', 'run d --stage rde', 'run d --stage=resample', 'run pairs', 'run d --stage all --request-timeout 30'];
  const not = ['status d', 'run d --dry-run', 'run d --stage pairs', 'run d --stage=pairs', 'run d --help', 'run -h', 'run d --no-such-flag', 'run d --stage', 'export d'];
  for (const a of samples) assert.equal(runMaySample(a.split(' ')), true, a);
  for (const a of not) assert.equal(runMaySample(a.split(' ')), false, a);
});
