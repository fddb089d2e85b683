import type { Response } from '../schema/response';
import { responseId } from '../schema/response';
import { decodeCustomId, type SlotTarget } from './custom-id';
import { BatchOutputLine, CompletionReplyBody } from './output-line';
import { batchErrorMessage } from './targets';

/** What one output line means for the run. */
export type OutputOutcome =
  | { kind: 'responses'; target: SlotTarget; responses: Response[] }
  | { kind: 'failure'; target: SlotTarget; status: number | null; message: string }
  | { kind: 'invalid'; message: string };

export interface OutcomeContext {
  /** Slots below this are pre-samples (n_p). */
  presample: number;
  round: number;
  /** Model name to record when the reply does not name one. */
  model: string;
  at: string;
}

/** Splits a total as evenly as integers allow; the first parts take the remainder. */
function share(total: number, parts: number, index: number): number {
  const base = Math.floor(total / parts);
  return base + (index < total - base * parts ? 1 : 0);
}

/** OpenAI's error file puts the failure in the response body: `{error: {message, …}}`. */
function bodyErrorText(body: unknown): string | null {
  return body && typeof body === 'object' && 'error' in body ? batchErrorMessage((body as { error: unknown }).error) : null;
}

/** Decides what one parsed JSON value of an output file means; never throws. */
export function readOutputLine(value: unknown, ctx: OutcomeContext): OutputOutcome {
  if (value && typeof value === 'object' && 'body' in value && 'method' in value && !('response' in value)) {
    return { kind: 'invalid', message: 'this is a request line of a batch input file; import the output file the batch produced' };
  }
  const line = BatchOutputLine.safeParse(value);
  if (!line.success) {
    const issue = line.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'line';
    return { kind: 'invalid', message: `not a batch output line (${path}: ${issue?.message ?? 'invalid'})` };
  }
  const { custom_id, response, error } = line.data;
  const target = decodeCustomId(custom_id);
  if (!target) return { kind: 'invalid', message: `custom_id '${custom_id.slice(0, 120)}' was not written by hsstar batch export` };

  const status = response?.status_code ?? null;
  const failedText = batchErrorMessage(error);
  if (!response || status !== 200 || failedText) {
    const fromBody = response ? bodyErrorText(response.body) : null;
    return { kind: 'failure', target, status, message: failedText ?? fromBody ?? `request failed with status ${status ?? 'none'}` };
  }
  const body = CompletionReplyBody.safeParse(response.body);
  if (!body.success) return { kind: 'failure', target, status, message: 'reply body is not a completion (no choices array)' };
  const { choices, usage } = body.data;
  const n = target.slots.length;
  // A reply with more or fewer choices than slots asked for is not trusted in part.
  if (choices.length !== n) {
    return { kind: 'failure', target, status, message: `reply has ${choices.length} choices for ${n} requested samples` };
  }
  const byIndex = new Map(choices.map((c) => [c.index, c]));
  if (byIndex.size !== n || [...byIndex.keys()].some((i) => i >= n)) {
    return { kind: 'failure', target, status, message: 'reply choice indexes do not match the requested samples' };
  }
  const responses: Response[] = [];
  for (let i = 0; i < n; i++) {
    const choice = byIndex.get(i)!;
    // A chat choice with null content is an empty answer, as in live sampling.
    const text = choice.message ? (choice.message.content ?? '') : choice.text;
    if (typeof text !== 'string') return { kind: 'failure', target, status, message: `choice ${i} has no text` };
    const slot = target.slots[i]!;
    responses.push({
      id: responseId(target.problemId, slot),
      problemId: target.problemId,
      slot,
      stage: slot < ctx.presample ? 'pre' : 're',
      text,
      finishReason: choice.finish_reason ?? null,
      // As live sampling records it: every sample saw the whole prompt; completions are shared out.
      usage: { prompt: usage?.prompt_tokens ?? 0, completion: share(usage?.completion_tokens ?? 0, n, i) },
      model: body.data.model ?? ctx.model,
      latencyMs: 0,
      at: ctx.at,
      round: ctx.round,
    });
  }
  return { kind: 'responses', target, responses };
}
