import { readFileSync } from 'node:fs';
import { textDigest } from '../src/store/log/text-digest.ts';
const rows = readFileSync('media/demo/math_cot_50.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const texts: string[] = rows.flatMap((r: any) => r.response);
const recs = Array.from({ length: 40000 }, (_, i) => ({ kind: 'response', id: `b${i >> 2}:${i & 3}`, problemId: `b${i >> 2}`, slot: i & 3, stage: 'pre', finishReason: 'stop', usage: { prompt: 120, completion: 300 }, model: 'bench', latencyMs: 130, at: '2026-12-01T23:00:00.000Z', round: 0, text: texts[i % texts.length]! }));
console.log('avg text chars', (texts.reduce((a, t) => a + t.length, 0) / texts.length).toFixed(0));
function current(rs: any[]) {
  const heads: string[] = []; const js: string[] = []; let total = 0;
  for (const r of rs) { const { text, ...rest } = r; const head = JSON.stringify(rest).slice(0, -1) + ',"text":'; const json = JSON.stringify(text); heads.push(head); js.push(json); total += Buffer.byteLength(head) + Buffer.byteLength(json) + 2; }
  const bytes = Buffer.allocUnsafe(total); let at = 0; const d: number[] = [];
  for (let i = 0; i < rs.length; i++) { at += bytes.write(heads[i]!, at); const from = at; at += bytes.write(js[i]!, at); d.push(textDigest(bytes.subarray(from + 1, at - 1))); bytes[at++] = 0x7d; bytes[at++] = 0x0a; }
  return bytes;
}
function noDigest(rs: any[]) {
  const heads: string[] = []; const js: string[] = []; let total = 0;
  for (const r of rs) { const { text, ...rest } = r; const head = JSON.stringify(rest).slice(0, -1) + ',"text":'; const json = JSON.stringify(text); heads.push(head); js.push(json); total += Buffer.byteLength(head) + Buffer.byteLength(json) + 2; }
  const bytes = Buffer.allocUnsafe(total); let at = 0;
  for (let i = 0; i < rs.length; i++) { at += bytes.write(heads[i]!, at); at += bytes.write(js[i]!, at); bytes[at++] = 0x7d; bytes[at++] = 0x0a; }
  return bytes;
}
function stringifyOnly(rs: any[]) { let n = 0; for (const r of rs) n += JSON.stringify(r.text).length; return n; }
function byteLen(rs: any[]) { let n = 0; for (const r of rs) n += Buffer.byteLength(r.text); return n; }
for (const [name, f] of [['current', current], ['noDigest', noDigest], ['stringifyOnly', stringifyOnly], ['byteLength', byteLen]] as const) {
  for (let rep = 0; rep < 3; rep++) { const t = performance.now(); for (let b = 0; b < 40000; b += 4) f(recs.slice(b, b + 4)); if (rep === 2) console.log(name, (performance.now() - t).toFixed(0), 'ms per 40k'); }
}
