// Runs every benchmark under bench/ one after another (they measure the machine, so never
// in parallel) and ends with each one's wall time. Pass names to run a subset:
//   npm run bench -- grader store
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts;
const all = Object.keys(scripts).filter((s) => s.startsWith('bench:')).map((s) => s.slice('bench:'.length));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length > 0 ? wanted : all;
const rows = [];
for (const name of chosen) {
  console.log(`\n=== bench:${name}`);
  const started = performance.now();
  const run = spawnSync('npm', ['run', '--silent', `bench:${name}`], { stdio: 'inherit' });
  rows.push([name, run.status === 0 ? 'ok' : `exit ${run.status}`, `${((performance.now() - started) / 1000).toFixed(1)} s`]);
}
console.log('\nbenchmark   result  time');
for (const [n, r, t] of rows) console.log(`${n.padEnd(11)} ${r.padEnd(7)} ${t}`);
process.exit(rows.every((r) => r[1] === 'ok') ? 0 : 1);
