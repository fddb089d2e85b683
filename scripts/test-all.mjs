// `npm test`: the unit, bad-input, end-to-end (CLI), soak (short form), extension-host and
// browser layers, in that order.
// Every layer runs even when an earlier one fails, so one report shows all breakage; the
// exit code is non-zero when any layer failed. Prints each layer's wall time.
import { spawnSync } from 'node:child_process';

// test:browser covers the workbench (packaged .vsix), the inspector page and the insights page.
const layers = ['test:unit', 'test:bad-inputs', 'test:e2e', 'test:soak', 'test:host', 'test:browser'];
const results = [];
for (const layer of layers) {
  const started = Date.now();
  const { status } = spawnSync('npm', ['run', layer], { stdio: 'inherit' });
  results.push({ layer, ok: status === 0, seconds: (Date.now() - started) / 1000 });
}
console.log('\nlayer          result  time');
for (const r of results) console.log(`${r.layer.padEnd(14)} ${(r.ok ? 'pass' : 'FAIL').padEnd(7)} ${r.seconds.toFixed(0)} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
