import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMAND_IDS } from '../../../src/extension/command-ids';

// The manifest's contributions are held to the lists the code declares once.
const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

test('the manifest contributes exactly the commands the extension registers, each once', () => {
  const declared: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  assert.equal(new Set(declared).size, declared.length, 'no command is contributed twice');
  assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'no command id is declared twice');
  assert.deepEqual([...declared].sort(), [...COMMAND_IDS].sort());
});

test('every menu entry and welcome link names a registered command', () => {
  const ids = new Set<string>(COMMAND_IDS);
  const menus = Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>).flatMap(([where, entries]) =>
    entries.map((e) => ({ where, command: e.command })),
  );
  assert.ok(menus.length > 0);
  assert.deepEqual(menus.filter((m) => !ids.has(m.command)), []);
  const links = (manifest.contributes.viewsWelcome as { contents: string }[]).flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!));
  assert.ok(links.length > 0);
  assert.deepEqual(links.filter((id) => !ids.has(id)), []);
});
