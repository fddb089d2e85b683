import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAME_INTERRUPT_MS, watchInterrupts } from '../../../src/cli/interrupts';

test('SIGINTs within a second of the last one that counted are the same interrupt; later ones stop, cut, then exit', () => {
  const before = new Set(process.listeners('SIGINT'));
  let clock = 0;
  const said: string[] = [];
  let exits = 0;
  const i = watchInterrupts(
    (line) => said.push(line),
    () => exits++,
    () => clock,
  );
  const at = (ms: number) => {
    clock = ms;
    process.emit('SIGINT');
  };
  try {
    at(0);
    assert.ok(i.stop.aborted && !i.cut.aborted);
    // timeout(1) signals the child, then its group: a few milliseconds apart.
    at(4);
    at(600);
    assert.ok(!i.cut.aborted, 'repeats within the window are ignored');
    at(SAME_INTERRUPT_MS + 1);
    assert.ok(i.cut.aborted, 'a deliberate second press cuts');
    at(SAME_INTERRUPT_MS + 300);
    assert.equal(exits, 0);
    at(2 * SAME_INTERRUPT_MS + 2);
    assert.equal(exits, 1, 'a third exits at once');
    assert.equal(said.length, 2);
    assert.match(said[0]!, /interrupted, finishing requests in flight/);
    assert.match(said[1]!, /requests on the wire are cut/);
  } finally {
    for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.off('SIGINT', l);
  }
});
