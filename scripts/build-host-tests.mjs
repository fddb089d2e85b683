// Bundles the extension-host test suites (test/host/<suite>/) into out/test-host/<suite>/,
// CommonJS, one file per test so mocha reports them by name. `vscode` comes from the host;
// mocha is resolved from the project's node_modules at run time.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'test/host');
const out = join(root, 'out/test-host');
export const suites = ['trusted', 'restricted'];

const entryPoints = suites.flatMap((suite) =>
  readdirSync(join(source, suite))
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => join(source, suite, f)),
);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
await esbuild.build({
  entryPoints,
  outbase: source,
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
