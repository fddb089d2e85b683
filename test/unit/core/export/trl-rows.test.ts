import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { chatTemplateRenderer } from '../../../../src/core/export/chat-template';
import { renderRecords, renderRows, type RenderContext } from '../../../../src/core/export/formats';
import type { PairRow } from '../../../../src/core/export/rows';
import { hasPython, trlPreferenceRows } from '../../../support/python-check';
import { TRL_ARGS } from '../../../support/trl-args';

const configText = readFileSync('test/fixtures/trainers/chatml-tokenizer_config.json', 'utf8');
const config = JSON.parse(configText);
const row = (i: number, score: number | null): PairRow => ({
  problemId: `p${i}`, chosenId: `p${i}-r1`, rejectedId: `p${i}-r2`, system: 'Reason step by step.', prompt: `What is ${i} + ${i}?`,
  chosen: `So the answer is \\boxed{${2 * i}}.`, rejected: 'So the answer is \\boxed{0}.',
  chosenScore: score, rejectedScore: score === null ? null : score / 2, chosenReward: 0.9, rejectedReward: 0.1,
  promptTokens: 20, chosenTokens: 10, rejectedTokens: 10,
});
const rows = [row(1, 0.8), row(2, null)];
const chat: RenderContext = { api: 'chat', renderPrompt: null, withReward: true };

test('TRL reads the conversational and the standard export as preference rows and passes the trace columns through', async (t) => {
  if (!(await hasPython())) return t.skip('python3 not available');
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-trl-rows-'));
  try {
    const trace = ['problem_id', 'chosen_id', 'rejected_id', 'score_chosen', 'score_rejected', 'reward_chosen', 'reward_rejected'];
    const conv = join(dir, 'conv.jsonl');
    await writeFile(conv, renderRows('trl-conversational', rows, chat));
    assert.deepEqual(await trlPreferenceRows(conv, TRL_ARGS.preference), { format: 'conversational', passthrough: trace });
    const std = join(dir, 'std.jsonl');
    await writeFile(std, renderRows('trl', rows, { ...chat, renderPrompt: chatTemplateRenderer(configText, 'tc.json') }));
    assert.deepEqual(await trlPreferenceRows(std, TRL_ARGS.preference), { format: 'standard', passthrough: trace });

    // What TRL would misread is refused, naming the line.
    const bad = join(dir, 'bad.jsonl');
    const [first] = renderRecords('trl-conversational', rows, chat);
    await writeFile(bad, JSON.stringify(first) + '\n' + JSON.stringify({ ...first, chosen: 'a plain string' }) + '\n');
    await assert.rejects(trlPreferenceRows(bad, TRL_ARGS.preference), /line 2: prompt\/chosen\/rejected must be all strings or all message lists/);
    await writeFile(bad, JSON.stringify({ ...first, completion: 'x' }) + '\n');
    await assert.rejects(trlPreferenceRows(bad, TRL_ARGS.preference), /line 1: TRL reads the columns \['chosen', 'completion', 'prompt', 'rejected'\]/);
    await writeFile(bad, JSON.stringify({ ...first, prompt: [...(first!.prompt as object[]), { role: 'assistant', content: 'Let' }] }) + '\n');
    await assert.rejects(trlPreferenceRows(bad, TRL_ARGS.preference), /line 1: the prompt ends with assistant/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("TRL's chat-template step on the conversational rows gives the standard rows' prompt, and each completion follows it", () => {
  // As TRL's apply_chat_template: the prompt with the generation prompt, prompt + completion without,
  // and the completion is what the second adds to the first (TRL refuses a template where it is not a prefix).
  const template = new Template(config.chat_template);
  const render = (messages: unknown[], add_generation_prompt: boolean) => template.render({ messages, add_generation_prompt, eos_token: config.eos_token.content });
  const standard = renderRecords('trl', rows, { ...chat, renderPrompt: chatTemplateRenderer(configText, 'tc.json') });
  renderRecords('trl-conversational', rows, chat).forEach((r, i) => {
    const prompt = render(r.prompt as unknown[], true);
    assert.equal(prompt, standard[i]!.prompt);
    for (const side of ['chosen', 'rejected'] as const) {
      const whole = render([...(r.prompt as unknown[]), ...(r[side] as unknown[])], false);
      assert.ok(whole.startsWith(prompt), side);
      assert.equal(whole.slice(prompt.length), `${standard[i]![side]}<|im_end|>\n`);
    }
  });
});
