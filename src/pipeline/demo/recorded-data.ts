import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../core/errors';

/** The bundled demo data, relative to the package root. */
export const DEMO_DATA = join('media', 'demo', 'math_cot_50.jsonl');

/** One row of the recorded data: a MATH problem with 8 real responses and their verdicts and reward scores. */
export const RecordedRow = z.looseObject({
  idx: z.union([z.number(), z.string()]),
  question: z.string().min(1),
  gt: z.string(),
  system: z.string().optional(),
  response: z.array(z.string()).min(1),
  score: z.array(z.boolean()).optional(),
  /** One reward-model logit per response (stored as a one-element list). */
  pred_score: z.array(z.union([z.number(), z.array(z.number()).min(1)])),
});
export type RecordedRow = z.infer<typeof RecordedRow>;

/** The recorded reward logit of a row's response i. */
export function recordedScore(row: RecordedRow, i: number): number {
  const v = row.pred_score[i];
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined) throw new UserError(`row ${row.idx} has no pred_score for response ${i}`);
  return x;
}

export async function readRecordedRows(path: string): Promise<RecordedRow[]> {
  const text = await readFile(path, 'utf8');
  const rows: RecordedRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UserError('not JSON', `${path}:${i + 1}`);
    }
    const r = RecordedRow.safeParse(json);
    if (!r.success) throw new UserError(`unexpected row: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`, `${path}:${i + 1}`);
    if (r.data.pred_score.length !== r.data.response.length) throw new UserError('pred_score and response differ in length', `${path}:${i + 1}`);
    rows.push(r.data);
  });
  return rows;
}

/**
 * Where to look for the package: the bundle's own folder (`dist/`, CommonJS), else (running
 * from source, as the tests do) the working directory.
 */
function searchStart(): string {
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

/** Finds the package's bundled demo data by walking up from `searchStart()`. */
export function findDemoData(): string {
  let dir = searchStart();
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, DEMO_DATA);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new UserError(`the bundled demo data is missing (looked for ${DEMO_DATA} above ${searchStart()})`);
}
