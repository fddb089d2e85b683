// Grader benchmark, one core: pairs/s on the real-response corpus (extraction + comparison)
// and on the rewrite corpus (comparison only), with p50/p99/max latency of one pair.
// The symbolic engine's one-off load is timed on its own, so latencies are warm figures.
// Usage: npm run bench:grader   (targets: ≥ 20,000 pairs/s on real responses; max ≤ 5,000 ms)
import { readFileSync } from 'node:fs';
import { gradeResponse, isEquivalent, DEFAULT_TIMEOUT_MS } from '../../src/core/answer/index';
import { buildRewriteCorpus } from '../../test/fixtures/answer/rewrite-corpus';

const REAL = new URL('../../media/demo/math_cot_50.jsonl', import.meta.url);
const MIN_SECONDS = 1.5;

interface Row {
  gt: string;
  response: string[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `work` over all items repeatedly for at least MIN_SECONDS; times each call. */
function measure<T>(name: string, items: T[], work: (x: T) => unknown) {
  const latencies: number[] = [];
  let pairs = 0;
  const start = performance.now();
  do {
    for (const x of items) {
      const t = performance.now();
      work(x);
      latencies.push(performance.now() - t);
    }
    pairs += items.length;
  } while (performance.now() - start < MIN_SECONDS * 1000);
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const figures = {
    corpus: name,
    pairs: items.length,
    passes: pairs / items.length,
    pairsPerSecond: Math.round(pairs / seconds),
    p50ms: +percentile(latencies, 50).toFixed(4),
    p99ms: +percentile(latencies, 99).toFixed(4),
    maxMs: +latencies[latencies.length - 1]!.toFixed(3),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
  return figures;
}

const rows = readFileSync(REAL, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);
const real = rows.flatMap((r) => r.response.map((text) => ({ text, gt: r.gt })));
const corpus = buildRewriteCorpus();

// Warm-up pass, and the engine's one-off load, outside the measured loops.
for (const x of real) gradeResponse(x.text, x.gt);
const loadStart = performance.now();
isEquivalent('e^{i\\pi}', '-1');
process.stdout.write(JSON.stringify({ symbolicEngineFirstUseMs: +(performance.now() - loadStart).toFixed(1) }) + '\n');

const r = measure('real-responses (extract + compare)', real, (x) => gradeResponse(x.text, x.gt));
const c = measure('rewrite corpus (compare)', corpus, (x) => isEquivalent(x.pred, x.gt));
const patho = corpus.filter((p) => p.category === 'pathological');
const p = measure('pathological inputs only', patho, (x) => isEquivalent(x.pred, x.gt));

const ok = r.pairsPerSecond >= 20_000 && Math.max(r.maxMs, c.maxMs, p.maxMs) <= DEFAULT_TIMEOUT_MS;
process.stdout.write(`targets (≥ 20,000 pairs/s on real responses, max ≤ ${DEFAULT_TIMEOUT_MS} ms): ${ok ? 'met' : 'NOT met'}\n`);
