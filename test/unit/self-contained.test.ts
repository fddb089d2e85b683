import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// A clone has nothing beside it: no file the project runs or tests may reach outside it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FOLDERS = ['src', 'test', 'bench', 'scripts', '.ci', 'webview'];
const SKIP = new Set(['node_modules', 'node24', '.vscode-test']);
const TEXT = /\.(ts|mts|mjs|js|cjs|json|sh|md)$|^(run|setup)$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    if (SKIP.has(name)) continue;
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...files(rel));
    else if (TEXT.test(name)) out.push(rel);
  }
  return out;
}

/** Every quoted relative path that climbs above the repository, resolved from its file's folder. */
export function pathsOutside(file: string, text: string): string[] {
  const found: string[] = [];
  if (/\.\.\/shared\b/.test(text)) found.push(`${'..'}/shared`);
  for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
    const target = relative(root, resolve(root, dirname(file), m[1]!));
    if (target === '..' || target.startsWith(`..${sep}`)) found.push(m[1]!);
  }
  for (const m of text.matchAll(/['"`](\/(?:work|home|Users|mnt)\/[^'"`\s]*)['"`]/g)) found.push(m[1]!);
  return found;
}

test('no source, test, benchmark, script or CI file names a path outside the repository', () => {
  const offenders = FOLDERS.flatMap((dir) => files(dir))
    .filter((f) => f !== join('test', 'unit', 'self-contained.test.ts'))
    .flatMap((f) => pathsOutside(f, readFileSync(join(root, f), 'utf8')).map((p) => `${f}: ${p}`));
  assert.deepEqual(offenders, []);
});

test('the check itself catches the forms a path outside takes', () => {
  const up = '..'; // spelled apart, so this file itself names no folder outside
  assert.deepEqual(pathsOutside('test/unit/x.test.ts', `resolve('${up}/shared/data/a.jsonl')`), [`${up}/shared`]);
  assert.deepEqual(pathsOutside('test/unit/x.test.ts', "new URL('../../../elsewhere/a', u)"), ['../../../elsewhere/a']);
  assert.deepEqual(pathsOutside('bench/a.ts', "readFileSync('/work/data.jsonl')"), ['/work/data.jsonl']);
  assert.deepEqual(pathsOutside('test/unit/x.test.ts', "import { a } from '../../src/core/a';"), []);
});
