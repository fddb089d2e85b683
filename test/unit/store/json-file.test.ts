import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors';
import { readJsonFile } from '../../../src/store/json-file';

test('a hand-edited JSON file: its value, undefined when absent, an error naming it when unreadable or not JSON', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-json-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.json');
  writeFileSync(good, '{ "version": 1, "list": [1, 2] }\n');
  assert.deepEqual(readJsonFile(good), { version: 1, list: [1, 2] });
  assert.equal(readJsonFile(join(dir, 'absent.json')), undefined);

  const torn = join(dir, 'torn.json');
  writeFileSync(torn, '{ "version": 1, ');
  assert.throws(() => readJsonFile(torn), (err: unknown) => err instanceof UserError && err.message.startsWith(`${torn}: not valid JSON: `));

  const folder = join(dir, 'folder.json');
  mkdirSync(folder);
  assert.throws(() => readJsonFile(folder), (err: unknown) => err instanceof UserError && err.message === `${folder} is a folder; a run folder's files must be regular files`);
});
