import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSteps } from '../../../src/core/steps';

test('steps are split on a blank line and trimmed', () => {
  assert.deepEqual(splitSteps('First, x = 2.\n\nThen y = 3.\n\n\nSo \\boxed{5}.  '), ['First, x = 2.', 'Then y = 3.', 'So \\boxed{5}.']);
});

test('a response without a separator is one step; an empty one has none', () => {
  assert.deepEqual(splitSteps('just the answer 4'), ['just the answer 4']);
  assert.deepEqual(splitSteps('  \n\n \n\n'), []);
});

test('a configured separator replaces the blank line', () => {
  assert.deepEqual(splitSteps('a\n\nb ## c', ' ## '), ['a\n\nb', 'c']);
});
