/**
 * A sampling run in its own process, for the kill-and-resume test: reads the JSONL file
 * of responses already written, samples only the missing slots, appends each request's
 * responses as lines (the project store does the same). A torn last line is ignored.
 *
 *   node --import tsx test/support/sampling-child.ts <baseURL> <file> <problems> <slots> <concurrency>
 */
import { appendFile, readFile } from 'node:fs/promises';
import { PolicySampler } from '../../src/endpoints/policy-sampler';
import { sampleResponses, type SamplingWork } from '../../src/pipeline/engine/sample-responses';

export async function readWritten(file: string): Promise<string[]> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      ids.push((JSON.parse(line) as { id: string }).id);
    } catch {
      /* a line torn by the kill: its response was never counted */
    }
  }
  return ids;
}

async function main(): Promise<void> {
  const [baseURL, file, problems, slots, concurrency] = process.argv.slice(2);
  const have = new Set(await readWritten(file!));
  const work: SamplingWork[] = [];
  for (let p = 0; p < Number(problems); p++) {
    const missing = Array.from({ length: Number(slots) }, (_, s) => s).filter((s) => !have.has(`p${p}:${s}`));
    if (missing.length) work.push({ problem: { id: `p${p}`, question: `question ${p}` }, slots: missing });
  }
  const summary = await sampleResponses({
    samplers: [new PolicySampler({ baseURL: baseURL!, model: 'm' })],
    work,
    nPerRequest: 1,
    concurrency: Number(concurrency),
    onResponses: (rs) => appendFile(file!, rs.map((r) => `${JSON.stringify(r)}\n`).join('')),
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (process.argv[1]?.endsWith('sampling-child.ts')) await main();
