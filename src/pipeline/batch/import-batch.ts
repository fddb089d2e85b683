import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { UserError } from '../../core/errors';
import { readOutputLine, slotLimit, type OutcomeContext, type OutputOutcome } from '../../core/batch/index';
import { responseId, type FailureRecord, type Problem, type Response } from '../../core/schema/index';
import { readLines } from '../../store/dataset/line-reader';
import { stateOf } from '../derive-from-store';
import { sharedGradePool, type GradePool } from '../grading/grade-pool';
import type { BatchStore } from './batch-store';

/** A reply line longer than this is refused: no completion of 2,048 tokens × n comes near it. */
export const MAX_OUTPUT_LINE_BYTES = 64 * 1024 * 1024;

export interface BatchImportResult {
  /** Non-blank lines read. */
  lines: number;
  /** Responses newly written. */
  stored: number;
  /** Responses skipped because their slot was already on disk (a second import, or a live run got there first). */
  alreadyStored: number;
  /** Responses skipped because an earlier line of the same file filled their slot. */
  duplicates: number;
  /** Failure records newly written (one per failed request). */
  failed: number;
  /** Failed lines skipped: their slots are already stored, or the same failure is already recorded. */
  failuresSkipped: number;
}

export interface BatchImportOptions {
  now?: () => string;
  /** Where the imported responses are graded; default the process's shared pool of grading threads. */
  grading?: GradePool;
}

interface Located {
  line: number;
  /** Invalid lines never get here: they stop the import. */
  outcome: Exclude<OutputOutcome, { kind: 'invalid' }>;
}

/** Parses each non-blank line of the file; a line that is not a batch output line stops the import. */
async function* outcomes(file: string, ctx: OutcomeContext): AsyncGenerator<Located> {
  for await (const raw of readLines(file, { maxLineBytes: MAX_OUTPUT_LINE_BYTES })) {
    const where = `${file}:${raw.line}`;
    if (raw.tooLong) throw new UserError(`line of ${raw.length} bytes is longer than the limit of ${MAX_OUTPUT_LINE_BYTES}`, where);
    const text = raw.bytes.toString('utf8');
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const reason = err instanceof RangeError ? 'nested too deeply' : (err as Error).message;
      throw new UserError(`not JSON: ${reason}`, where);
    }
    const outcome = readOutputLine(value, ctx);
    if (outcome.kind === 'invalid') throw new UserError(outcome.message, where);
    yield { line: raw.line, outcome };
  }
}

const failureKey = (targets: readonly string[], status: number | null, message: string) => `${targets.join(',')}|${status}|${message}`;

/**
 * Reads a batch output (or error) file back into the run. The file is checked whole first,
 * so a bad line names `file:line` and nothing is written; then each response is written
 * (with its grade) before it counts. Slots already on disk are skipped, so importing the
 * same file twice changes nothing.
 */
export async function importBatch(store: BatchStore, file: string, o: BatchImportOptions = {}): Promise<BatchImportResult> {
  await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new UserError(err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.code ?? String(err)}`, file);
  });
  const settings = store.settings;
  const at = o.now?.() ?? new Date().toISOString();
  const ctx: OutcomeContext = { presample: settings.budget.presample, round: settings.round.index, model: settings.policy.model, at };
  const state = stateOf(store);
  const problems = new Map<string, Problem>(store.problems().map((p) => [p.id, p]));

  // Pass 1: every line must belong to this run before anything is written.
  for await (const { line, outcome } of outcomes(file, ctx)) {
    const { problemId, slots } = outcome.target;
    const where = `${file}:${line}`;
    if (!problems.has(problemId)) throw new UserError(`problem '${problemId.slice(0, 120)}' is not in this run`, where);
    const limit = slotLimit(state, problemId);
    const over = slots.find((s) => s >= limit);
    if (over !== undefined) {
      throw new UserError(`slot ${over} of problem '${problemId.slice(0, 120)}' is beyond its planned ${limit} responses; this file was not exported from this run`, where);
    }
  }

  // Pass 2: write.
  const grading = o.grading ?? sharedGradePool();
  const result: BatchImportResult = { lines: 0, stored: 0, alreadyStored: 0, duplicates: 0, failed: 0, failuresSkipped: 0 };
  const seen = new Set<string>();
  const knownFailures = new Set(store.failures().map((f) => failureKey(f.targets, f.status, f.message)));
  let responses: Response[] = [];
  let failures: FailureRecord[] = [];
  const flush = async () => {
    if (responses.length > 0) {
      await store.appendResponses(responses);
      await store.appendScores(await grading.grade(responses.map((response) => ({ problem: problems.get(response.problemId)!, response }))));
      result.stored += responses.length;
      responses = [];
    }
    if (failures.length > 0) {
      await store.appendScores(failures);
      result.failed += failures.length;
      failures = [];
    }
  };
  for await (const { line, outcome } of outcomes(file, ctx)) {
    result.lines++;
    if (outcome.kind === 'responses') {
      for (const r of outcome.responses) {
        if (seen.has(r.id)) result.duplicates++;
        else if (store.hasResponse(r.id)) result.alreadyStored++;
        else responses.push(r);
        seen.add(r.id);
      }
    } else if (outcome.kind === 'failure') {
      const targets = outcome.target.slots.map((s) => responseId(outcome.target.problemId, s));
      const key = failureKey(targets, outcome.status, outcome.message);
      if (targets.every((t) => seen.has(t) || store.hasResponse(t)) || knownFailures.has(key)) {
        result.failuresSkipped++;
        continue;
      }
      knownFailures.add(key);
      failures.push({
        kind: 'failure',
        endpoint: 'policy',
        targets,
        url: `batch ${basename(file)}:${line}`,
        status: outcome.status,
        message: outcome.message.slice(0, 2000),
        at,
      });
    }
    if (responses.length >= 512 || failures.length >= 512) await flush();
  }
  await flush();
  return result;
}
