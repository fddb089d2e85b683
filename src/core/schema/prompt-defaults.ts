/**
 * The policy prompt's defaults (`policy.systemPrompt`, `policy.promptTemplate`), apart from
 * the settings schema so that the sampling thread can use them without loading zod.
 */

/** The method's chat prompt (docs/method.md, "Sampling defaults"). */
export const DEFAULT_SYSTEM_PROMPT =
  'Please reason step by step. Separate the steps with a blank line, and put your final answer within \\boxed{}.';
export const DEFAULT_PROMPT_TEMPLATE = '{question}';
