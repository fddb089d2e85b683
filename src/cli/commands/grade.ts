import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { DEFAULT_TIMEOUT_MS, deadlineIn, gradePrediction, gradeResponse } from '../../core/answer/index';

const flags = {
  pred: { type: 'string' },
  response: { type: 'string' },
  gt: { type: 'string' },
  'data-name': { type: 'string' },
  'timeout-ms': { type: 'string' },
} as const;

/** One input line: a whole response (its answer is extracted) or an already extracted prediction. */
const GradeInput = z
  .object({
    response: z.string().optional(),
    prediction: z.union([z.string(), z.number()]).optional(),
    gt: z.union([z.string(), z.number()]),
    data_name: z.string().optional(),
  })
  .refine((v) => v.response !== undefined || v.prediction !== undefined, { message: 'needs "response" or "prediction"' });
type GradeInput = z.infer<typeof GradeInput>;

/**
 * `method` is "given" when the input was a prediction, so nothing was extracted; `timedOut`
 * is there when the line's time bound passed before it was found equal.
 */
interface GradeOutput {
  extracted: string | null;
  method: string;
  equal: boolean;
  timedOut?: true;
  error?: string;
}

/** One line within one bound of `timeoutMs`, from extraction to the last comparison. */
function grade(input: GradeInput, dataName: string | undefined, timeoutMs: number): GradeOutput {
  const gt = String(input.gt);
  const name = input.data_name ?? dataName;
  const pred = String(input.prediction);
  const g =
    input.response !== undefined
      ? gradeResponse(input.response, gt, name === undefined ? { timeoutMs } : { dataName: name, timeoutMs })
      : { extracted: pred, method: 'given', ...gradePrediction(pred, gt, deadlineIn(timeoutMs)) };
  return { extracted: g.extracted, method: g.method, equal: g.correct, ...(g.timedOut ? { timedOut: g.timedOut } : {}) };
}

function parseTimeout(v: string | undefined): number {
  if (v === undefined) return DEFAULT_TIMEOUT_MS;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout-ms must be a positive number, got '${v}'`);
  return n;
}

/** Most output lines ride in one write with their neighbours; past this size a write goes at once. */
const BATCH_BYTES = 64 * 1024;

/**
 * Output lines collected and written together: one write per batch of input instead of one
 * per line. What is collected goes out as soon as the lines read so far are graded (the next
 * macrotask), so a caller feeding one line at a time still gets each verdict at once; a full
 * pipe is waited for.
 */
function batchedLines(stream: NodeJS.WritableStream) {
  let pending = '';
  let scheduled = false;
  let drained: Promise<void> | null = null;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const ok = stream.write(pending);
    pending = '';
    if (!ok) drained ??= new Promise<void>((r) => stream.once('drain', () => ((drained = null), r())));
  };
  return {
    async write(line: string): Promise<void> {
      if (drained) await drained;
      pending += line;
      if (pending.length >= BATCH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    async end(): Promise<void> {
      flush();
      if (drained) await drained;
    },
  };
}

export const gradeCommand: Command = {
  name: 'grade',
  summary: 'extract final answers and decide if they equal the reference',
  usage: `Usage: hsstar grade [options] < lines.jsonl
       hsstar grade --pred X --gt Y
       hsstar grade --response TEXT --gt Y [--data-name NAME]

Reads JSON lines {"response" | "prediction", "gt", "data_name"?} on stdin and writes
one line {"extracted", "method", "equal"} per input line, in order. "method" says how
the answer was found in a response: box, phrase, last-number or none ("given" for a
prediction). A line whose time bound passed before its answer was found equal gets
"timedOut": true (and "equal": false). A bad input line gets {"error": …} in its place
and the exit code is 1.

Options:
  --pred X          grade one prediction against --gt
  --response TEXT   grade one response against --gt
  --gt Y            reference answer for --pred / --response
  --data-name NAME  benchmark family: gsm8k and the like read a '#### n' tail first;
                    multiple-choice sets (aqua, sat_math, mmlu_stem, gaokao2023) never
                    fall back to the last number, as every other family does
  --timeout-ms N    bound on one line: extraction and comparison (default 5000)`,
  async run(argv, io, signal) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    positionals(pos, []);
    const timeoutMs = parseTimeout(values['timeout-ms']);
    const dataName = values['data-name'];
    if (values.pred !== undefined || values.response !== undefined) {
      if (values.gt === undefined) throw new UsageError('--gt is required with --pred or --response');
      if (values.pred !== undefined && values.response !== undefined) throw new UsageError('give --pred or --response, not both');
      const input: GradeInput = values.pred !== undefined ? { prediction: values.pred, gt: values.gt } : { response: values.response!, gt: values.gt };
      io.stdout.write(JSON.stringify(grade(input, dataName, timeoutMs)) + '\n');
      return 0;
    }
    if (values.gt !== undefined) throw new UsageError('--gt needs --pred or --response');

    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    const out = batchedLines(io.stdout);
    let lineNo = 0;
    let bad = 0;
    for await (const line of lines) {
      if (signal.aborted) break;
      lineNo++;
      if (line.trim() === '') continue;
      let verdict: GradeOutput;
      try {
        const parsed = GradeInput.safeParse(JSON.parse(line));
        if (parsed.success) verdict = grade(parsed.data, dataName, timeoutMs);
        else verdict = { extracted: null, method: 'none', equal: false, error: `stdin:${lineNo}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}` };
      } catch (err) {
        verdict = { extracted: null, method: 'none', equal: false, error: `stdin:${lineNo}: not JSON (${(err as Error).message})` };
      }
      if (verdict.error) {
        bad++;
        io.stderr.write(verdict.error + '\n');
      }
      await out.write(JSON.stringify(verdict) + '\n');
    }
    await out.end();
    return bad > 0 ? 1 : 0;
  },
};
