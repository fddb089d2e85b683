// Bundles the extension, the CLI and the webviews with esbuild into dist/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.HSSTAR_VERSION': JSON.stringify(pkg.version) },
};

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

const builds = [
  { ...node, entryPoints: [join(root, 'src/extension/main.ts')], outfile: join(root, 'dist/extension.js'), external: ['vscode'] },
  // What the extension loads on first use (store, schemas, pipeline, inspector): kept out of activation.
  { ...node, entryPoints: [join(root, 'src/extension/parts.ts')], outfile: join(root, 'dist/extension-parts.js'), external: ['vscode'] },
  // The grading threads' script, started by the CLI and the extension beside their own bundle.
  { ...node, entryPoints: [join(root, 'src/pipeline/grading/grade-worker.ts')], outfile: join(root, 'dist/grade-worker.js') },
  // The sampling thread's script: the policy endpoints' requests, off the thread that writes the logs.
  { ...node, entryPoints: [join(root, 'src/endpoints/sampling-thread/sampling-worker.ts')], outfile: join(root, 'dist/sampling-worker.js') },
  {
    ...node,
    entryPoints: [join(root, 'src/cli/bin.ts')],
    outfile: join(root, 'dist/cli.js'),
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: [join(root, 'webview/inspector/main.ts')],
    outfile: join(root, 'dist/webview.js'),
    loader: { '.woff2': 'file', '.woff': 'empty', '.ttf': 'empty' },
  },
  // The insights panel (calibration scatter and tables); its CSS lands in dist/insights.css.
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: [join(root, 'webview/insights/main.ts')], outfile: join(root, 'dist/insights.js') },
];

mkdirSync(join(root, 'dist'), { recursive: true });
// The package is ESM for tools and tests; the bundles are CommonJS, as VS Code and Node's bin shim load them.
writeFileSync(join(root, 'dist/package.json'), '{ "type": "commonjs" }\n');
// The symbolic engine (about 3 MB) ships beside the bundles and is loaded on first use only.
copyFileSync(createRequire(import.meta.url).resolve('@cortex-js/compute-engine'), join(root, 'dist/compute-engine.cjs'));
// KaTeX's stylesheet and fonts for the inspector, served from dist/ through asWebviewUri (no CDN).
const katexDist = dirname(createRequire(import.meta.url).resolve('katex'));
mkdirSync(join(root, 'dist/katex/fonts'), { recursive: true });
copyFileSync(join(katexDist, 'katex.min.css'), join(root, 'dist/katex/katex.min.css'));
for (const font of readdirSync(join(katexDist, 'fonts'))) {
  if (font.endsWith('.woff2')) copyFileSync(join(katexDist, 'fonts', font), join(root, 'dist/katex/fonts', font));
}
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
