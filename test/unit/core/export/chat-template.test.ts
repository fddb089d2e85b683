import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chatTemplateRenderer } from '../../../../src/core/export/chat-template';
import { encodeParquet } from '../../../../src/core/export/parquet';
import { isLicenseId, sizeCategory } from '../../../../src/core/export/dataset-card';

const chatml = readFileSync('test/fixtures/trainers/chatml-tokenizer_config.json', 'utf8');

test('the ChatML template renders system, user and the generation prompt; the default system turn when none is given', () => {
  const render = chatTemplateRenderer(chatml, 'tc.json');
  assert.equal(
    render([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }]),
    '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n',
  );
  assert.equal(render([{ role: 'user', content: 'Q' }]), '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n');
});

test('special tokens reach the template as strings, and the default of several templates is used', () => {
  const config = JSON.stringify({
    bos_token: { content: '<|begin_of_text|>', lstrip: false },
    chat_template: [
      { name: 'tool_use', template: 'TOOLS' },
      { name: 'default', template: '{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}' },
    ],
  });
  assert.equal(chatTemplateRenderer(config, 'x')([{ role: 'user', content: 'hi' }]), '<|begin_of_text|>[user]hi[assistant]');
});

test('bad tokenizer configs are refused naming the file', () => {
  assert.throws(() => chatTemplateRenderer('{', 'model/tokenizer_config.json'), /^UserError: model\/tokenizer_config.json: is not JSON/);
  assert.throws(() => chatTemplateRenderer('{"eos_token": "</s>"}', 'base/tokenizer_config.json'), /base\/tokenizer_config.json: has no chat_template/);
  assert.throws(() => chatTemplateRenderer('{"chat_template": [{"name": "rag", "template": "x"}]}', 'f'), /none named "default"/);
  assert.throws(() => chatTemplateRenderer('{"chat_template": "{% for %}"}', 'f'), /f: chat_template does not parse/);
  const raising = chatTemplateRenderer(`{"chat_template": "{{ raise_exception('System role not supported') }}"}`, 'f');
  assert.throws(() => raising([{ role: 'system', content: 's' }]), /f: chat_template failed to render: .*System role not supported/);
});

test('Parquet needs rows and one type per column; card fields follow the Hub', () => {
  assert.throws(() => encodeParquet([]), /no pairs to write/);
  assert.throws(() => encodeParquet([{ a: 'x' }, { a: 1 }]), /column a mixes string and double/);
  assert.ok(encodeParquet([{ a: 'x', s: null }]).byteLength > 0);
  assert.deepEqual([999, 1000, 54_321, 2_000_000].map(sizeCategory), ['n<1K', '1K<n<10K', '10K<n<100K', '1M<n<10M']);
  assert.ok(isLicenseId('apache-2.0') && isLicenseId('cc-by-4.0') && !isLicenseId('Apache 2') && !isLicenseId('mit\nx: 1'));
});
