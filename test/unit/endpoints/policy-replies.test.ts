import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChatCompletionReply, CompletionReply, isChatCompletionReply, isCompletionReply } from '../../../src/endpoints/policy-replies';

/** Values any field may be swapped for: valid ones, wrong types, edge numbers. */
const odd = fc.oneof(
  fc.constantFrom(null, undefined, '', 'x', 'stop', 0, -1, 1.5, 2 ** 60, -0, Number.NaN, Infinity, true, [], {}, [1], { content: 'a' }, { content: null }, { content: 3 }),
  fc.string(),
  fc.integer(),
  fc.double(),
);

const choiceKeys = ['index', 'message', 'text', 'finish_reason', 'logprobs'];
const choice = fc.oneof(
  odd,
  fc.dictionary(fc.constantFrom(...choiceKeys), odd, { maxKeys: 4 }),
  fc.record({ index: fc.nat(), message: fc.record({ role: fc.constant('assistant'), content: fc.option(fc.string()) }), text: fc.string(), finish_reason: fc.option(fc.constantFrom('stop', 'length')) }),
);
const usage = fc.oneof(odd, fc.record({ prompt_tokens: fc.oneof(fc.nat(), odd), completion_tokens: fc.oneof(fc.nat(), odd), total_tokens: fc.nat() }, { requiredKeys: [] }));
const reply = fc.oneof(
  odd,
  fc.record(
    { id: fc.string(), object: fc.constantFrom('chat.completion', 'text_completion'), model: fc.oneof(fc.string(), odd), choices: fc.oneof(fc.array(choice, { maxLength: 4 }), odd), usage },
    { requiredKeys: [] },
  ),
);

test('the fast reply checks accept and reject exactly what the zod schemas do', () => {
  fc.assert(
    fc.property(reply, (v) => {
      assert.equal(isChatCompletionReply(v), ChatCompletionReply.safeParse(v).success, JSON.stringify(v));
      assert.equal(isCompletionReply(v), CompletionReply.safeParse(v).success, JSON.stringify(v));
    }),
    { numRuns: 5000 },
  );
});

test('a real vLLM chat reply and a real completions reply pass both checks', () => {
  const chat = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'The answer is \\boxed{2}.', reasoning_content: null, tool_calls: [] }, logprobs: null, finish_reason: 'stop', stop_reason: null }], usage: { prompt_tokens: 12, total_tokens: 20, completion_tokens: 8, prompt_tokens_details: null }, prompt_logprobs: null };
  const completion = { id: 'cmpl-1', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: ' 2', logprobs: null, finish_reason: 'length', stop_reason: null }], usage: { prompt_tokens: 3, total_tokens: 4, completion_tokens: 1 } };
  assert.ok(isChatCompletionReply(chat) && ChatCompletionReply.safeParse(chat).success);
  assert.ok(isCompletionReply(completion) && CompletionReply.safeParse(completion).success);
  assert.ok(!isChatCompletionReply(completion));
  assert.ok(!isCompletionReply(chat));
});
