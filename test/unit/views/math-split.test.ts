import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMath } from '../../../webview/inspector/math';

const kinds = (text: string) => splitMath(text).map((s) => (s.math ? `${s.display ? 'D' : 'I'}:${s.text}` : `T:${s.text}`));

test('inline and display math in all four delimiters, text around them', () => {
  assert.deepEqual(kinds('a $x^2$ b $$y$$ c \\(z\\) d \\[w\\] e'), ['T:a ', 'I:x^2', 'T: b ', 'D:y', 'T: c ', 'I:z', 'T: d ', 'D:w', 'T: e']);
});

test('escaped dollars and unclosed delimiters stay text', () => {
  assert.deepEqual(kinds('costs \\$5 and \\$6'), ['T:costs $5 and $6']);
  assert.deepEqual(kinds('a $ b'), ['T:a $ b']);
  assert.deepEqual(kinds('\\( never closed'), ['T:\\( never closed']);
  assert.deepEqual(kinds('$$'), ['T:$$']);
});

test('markup is just text to the splitter', () => {
  assert.deepEqual(kinds('<script>alert(1)</script> $<b>$'), ['T:<script>alert(1)</script> ', 'I:<b>']);
});

test('a megabyte of unclosed delimiters is split quickly and loses no text', () => {
  const text = '\\( '.repeat(350_000);
  const t = performance.now();
  const parts = splitMath(text);
  const ms = performance.now() - t;
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.ok(ms < 5_000, `${ms} ms`);
});
