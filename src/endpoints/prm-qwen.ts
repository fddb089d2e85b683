import type { EndpointOptions } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { joinUrl, postJson, serverRoot, postOptionsOf } from './json-post';
import { checkStepScores, type PrmClient } from './prm-client';
import { contextOverflowOf } from './server-messages';
import { PoolingResponse } from './vllm-replies';

/** The step tag Qwen2.5-Math-PRM scores at. */
export const QWEN_STEP_TAG = '<extra_0>';
/** The system prompt of Qwen2.5-Math-PRM's model card. */
const QWEN_PRM_SYSTEM = 'Please reason step by step, and put your final answer within \\boxed{}.';

/**
 * The chat-formatted text vLLM's `/pooling` gets: Qwen's ChatML with each step followed by
 * `<extra_0>` (the template as `apply_chat_template(..., add_generation_prompt=False)` renders it).
 * vLLM's step pooler keeps a row for every `<extra_0>` of the whole input, so the tag is
 * removed wherever else it appears (question or step text): it would shift every score.
 */
export function qwenPrmInput(question: string, steps: readonly string[]): string {
  const untagged = (text: string) => text.split(QWEN_STEP_TAG).join('');
  const answer = steps.map((s) => untagged(s) + QWEN_STEP_TAG).join('');
  return (
    `<|im_start|>system\n${QWEN_PRM_SYSTEM}<|im_end|>\n` +
    `<|im_start|>user\n${untagged(question)}<|im_end|>\n` +
    `<|im_start|>assistant\n${answer}<|im_end|>\n`
  );
}

/**
 * Qwen2.5-Math-PRM under vLLM (`vllm serve Qwen/Qwen2.5-Math-PRM-7B`): POST /pooling; the
 * head applies softmax, score = p(positive) per step. No `task` is sent: the model has one
 * (`token_classify`), and releases before that name existed reject it.
 */
export class QwenPrmClient implements PrmClient {
  readonly url: string;
  readonly model: string;
  constructor(private readonly opts: EndpointOptions) {
    this.url = joinUrl(serverRoot(opts.baseURL), 'pooling');
    this.model = opts.model;
  }

  async scoreSteps(question: string, steps: readonly string[], signal?: AbortSignal): Promise<number[]> {
    if (steps.length === 0) return [];
    let reply: PoolingResponse;
    try {
      reply = await postJson(this.url, { model: this.model, input: qwenPrmInput(question, steps) }, PoolingResponse, postOptionsOf(this.opts, signal));
    } catch (err) {
      const overflow = contextOverflowOf(err);
      if (!overflow) throw err;
      const size = overflow.requested === undefined ? 'too long' : `${overflow.requested} tokens`;
      throw new EndpointError('http', this.url, 400, `the question and ${steps.length} steps are ${size}, over the server's max_model_len of ${overflow.limit}; this response is not scored`);
    }
    const rows = reply.data[0]?.data;
    if (!rows) throw new EndpointError('malformed', this.url, 200, 'reply has no data');
    const scores = rows.map((row) => {
      if (!Array.isArray(row) || row.length !== 2) {
        throw new EndpointError('malformed', this.url, 200, 'expected [p_negative, p_positive] per step');
      }
      return row[1]!;
    });
    return checkStepScores(scores, steps.length, this.url);
  }
}
