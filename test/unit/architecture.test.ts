import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The layering of docs/architecture.md, checked on every import of every source file.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.tsx?$/.test(name)) out.push(rel.split(sep).join('/'));
  }
  return out;
}

interface Import {
  file: string;
  spec: string;
  /** Repository-relative target for relative imports, else null (a package or node: module). */
  target: string | null;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Import[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g;
  for (const m of text.matchAll(pattern)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    const target = spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)).split(sep).join('/') : null;
    found.push({ file, spec, target });
  }
  return found;
}

const all = [...sources('src'), ...sources('webview')].flatMap(importsOf);

/** Which top-level areas each area may import (relative imports only). */
const allowed: Record<string, RegExp> = {
  'src/core/': /^src\/core\//,
  'src/endpoints/': /^src\/(core|endpoints)\//,
  'src/store/': /^src\/(core|store)\//,
  'src/pipeline/': /^src\/(core|endpoints|store|pipeline)\//,
  'src/protocol': /^src\/(core\/|protocol)/,
  'src/views/': /^src\/(core\/|views\/|protocol)/,
  // Everything but the extension, as docs/architecture.md says: curator commands reuse the views' edit rules.
  'src/cli/': /^src\/((core|endpoints|store|pipeline|cli|views)\/|protocol)/,
  'src/extension/': /^src\//,
  'webview/': /^(webview\/|src\/protocol)/,
};

test('every relative import points down the layers', () => {
  const wrong: string[] = [];
  for (const imp of all) {
    if (!imp.target) continue;
    const area = Object.keys(allowed).find((a) => imp.file.startsWith(a));
    assert.ok(area, `${imp.file} is in no known layer`);
    if (!allowed[area]!.test(imp.target)) wrong.push(`${imp.file} imports ${imp.spec}`);
    if (/^(test|bench)\//.test(imp.target)) wrong.push(`${imp.file} imports test or bench code: ${imp.spec}`);
  }
  assert.deepEqual(wrong, []);
});

test('only src/extension imports vscode', () => {
  const wrong = all.filter((i) => i.spec === 'vscode' && !i.file.startsWith('src/extension/')).map((i) => i.file);
  assert.deepEqual(wrong, []);
});

test('the webview UI toolkit stays behind webview/components/', () => {
  const users = all.filter((i) => i.spec.startsWith('@vscode/webview-ui-toolkit')).map((i) => i.file);
  assert.ok(users.length > 0, 'the toolkit is used');
  assert.deepEqual(users.filter((f) => !f.startsWith('webview/components/')), []);
});

test('the pure layers do no file or network I/O', () => {
  const io = /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads)$/;
  const wrong = all
    .filter((i) => /^src\/(core|views)\/|^src\/protocol/.test(i.file) && io.test(i.spec))
    .map((i) => `${i.file} imports ${i.spec}`);
  assert.deepEqual(wrong, []);
});

/** The files `file` imports for their values when it is evaluated (not `import type`, not `import()`), as repository paths or package names. */
function valueImportsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s)?([^;]*?)\s*from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
    const spec = (m[4] ?? m[5])!;
    if (m[2] || (m[3] !== undefined && /^\{[^}]*\}$/s.test(m[3]) && m[3].slice(1, -1).split(',').every((n) => /^\s*(type\s|$)/.test(n)))) continue;
    if (!spec.startsWith('.')) {
      out.push(spec);
      continue;
    }
    const base = relative(root, resolve(root, dirname(file), spec)).split(sep).join('/');
    const hit = [`${base}.ts`, `${base}/index.ts`].find((f) => existsSync(join(root, f)));
    assert.ok(hit, `${file}: cannot resolve ${spec}`);
    out.push(hit);
  }
  return out;
}

test('the CLI and the extension host load the openai SDK only on the sampling thread or when a command needs it', () => {
  // The SDK and the undici globals it touches cost about 60 ms to load; the main threads
  // evaluate everything they import statically at start.
  for (const entry of ['src/cli/bin.ts', 'src/cli/main.ts', 'src/extension/main.ts', 'src/extension/parts.ts']) {
    const via = new Map<string, string>([[entry, '']]);
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const dep of valueImportsOf(file)) {
        if (dep === 'openai' || dep.startsWith('openai/')) {
          const chain = [file];
          for (let f = via.get(file)!; f; f = via.get(f)!) chain.unshift(f);
          assert.fail(`${entry} loads the openai SDK at start: ${[...chain, dep].join(' -> ')}`);
        }
        if (dep.startsWith('src/') && !via.has(dep)) {
          via.set(dep, file);
          queue.push(dep);
        }
      }
    }
    assert.ok(via.has('src/endpoints/sampling-thread/sampling-thread.ts') || entry === 'src/extension/main.ts', `${entry} reaches the sampling thread`);
  }
});

/** A relative import's file: `x.ts` or `x/index.ts`. */
function resolved(target: string): string | null {
  return [`${target}.ts`, `${target}/index.ts`, target].find((f) => /\.ts$/.test(f) && existsSync(join(root, f))) ?? null;
}

test('no import cycles, type-only and lazy imports included', () => {
  const edges = new Map<string, string[]>();
  for (const imp of all) {
    const to = imp.target && resolved(imp.target);
    if (!to) continue;
    edges.set(imp.file, [...(edges.get(imp.file) ?? []), to]);
  }
  // Depth-first search; a grey file met again closes a cycle, reported as its path.
  const colour = new Map<string, 'grey' | 'black'>();
  const path: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string): void => {
    colour.set(file, 'grey');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (colour.get(next) === 'grey') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!colour.has(next)) visit(next);
    }
    path.pop();
    colour.set(file, 'black');
  };
  for (const file of edges.keys()) if (!colour.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test('every module of src/ and webview/ is reached from a bundle entry, not by tests alone', () => {
  // The entries are the build's: the bundles that ship (extension, its lazy half, the threads, the CLI, the webviews).
  const build = readFileSync(join(root, 'scripts/build.mjs'), 'utf8');
  const entries = [...build.matchAll(/entryPoints:\s*\[join\(root,\s*'([^']+)'\)\]/g)].map((m) => m[1]!);
  assert.ok(entries.length >= 5, `entries found in scripts/build.mjs: ${entries.join(', ')}`);
  const edges = new Map<string, string[]>();
  for (const imp of all) {
    const to = imp.target && resolved(imp.target);
    if (to) edges.set(imp.file, [...(edges.get(imp.file) ?? []), to]);
  }
  const reached = new Set(entries);
  const queue = [...entries];
  while (queue.length > 0) for (const next of edges.get(queue.shift()!) ?? []) if (!reached.has(next)) reached.add(next) && queue.push(next);
  const sourceFiles = [...sources('src'), ...sources('webview')].filter((f) => !f.endsWith('.d.ts'));
  assert.deepEqual(sourceFiles.filter((f) => !reached.has(f)), []);
});
