import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { eventsOnDisk } from '../../support/event-files';

const EXTENSION_ID = 'hsstar.hsstar-curator';

interface ResponseLike {
  response: { id: string };
  steps: string[];
}
interface CtxLike {
  inspector: { lastFocus: { responseId: string; stepIndex: number | null } | null; currentProblem: string | null };
  session: {
    dir: string | null;
    state: { problems: Array<{ problem: { id: string }; responses: ResponseLike[] }>; events: Array<{ type: string; id: string }> } | null;
  };
}
type EditResult = { ok: boolean; error?: string };

const events = eventsOnDisk;

/** Step ratings recorded through `hsstar.labelSteps` in the real extension host, on the demo run. */
describe('Label Steps on the demo run', function () {
  let ctx: CtxLike;
  let dir: string;
  let target: ResponseLike;

  before(async () => {
    const api = await vscode.extensions.getExtension<{ ctx(): Promise<CtxLike> }>(EXTENSION_ID)!.activate();
    ctx = await api.ctx();
    // Suites share the host: another may have left a different run open.
    dir = (await vscode.commands.executeCommand<string>('hsstar.openDemo'))!;
    assert.equal(ctx.session.dir, dir);
    target = ctx.session.state!.problems.flatMap((p) => p.responses).find((r) => r.steps.length >= 4)!;
    assert.ok(target, 'a demo response with four steps or more');
  });

  it('records the ratings as one step-labels event with author and time', async () => {
    const before = events(dir).length;
    const result = await vscode.commands.executeCommand<EditResult>('hsstar.labelSteps', target.response.id, '1,1,-1', { notes: { '3': 'wrong sign' } });
    assert.equal(result?.ok, true, result?.error);
    const added = events(dir).slice(before);
    assert.equal(added.length, 1);
    const e = added[0]!;
    assert.equal(e.type, 'step-labels');
    assert.equal(e.responseId, target.response.id);
    assert.deepEqual(e.steps, [
      { step: 0, rating: 1, note: '', unsure: false },
      { step: 1, rating: 1, note: '', unsure: false },
      { step: 2, rating: -1, note: 'wrong sign', unsure: false },
    ]);
    assert.ok(typeof e.author === 'string' && (e.author as string).length > 0);
    assert.ok(!Number.isNaN(Date.parse(e.at as string)));
    // The session's read model has it too.
    assert.ok(ctx.session.state!.events.some((x) => x.id === e.id));
  });

  it('first error and the bad-problem flag; a step the response lacks is refused and nothing is written', async () => {
    const before = events(dir).length;
    const ok = await vscode.commands.executeCommand<EditResult>('hsstar.labelSteps', target.response.id, undefined, { firstError: 2, badProblem: true });
    assert.equal(ok?.ok, true, ok?.error);
    const [e] = events(dir).slice(before);
    assert.deepEqual([e!.badProblem, (e!.steps as Array<{ rating: number }>).map((s) => s.rating)], [true, [1, -1]]);

    const count = events(dir).length;
    const tooMany = Array(target.steps.length + 1).fill(1);
    const refused = await vscode.commands.executeCommand<EditResult>('hsstar.labelSteps', target.response.id, tooMany);
    assert.equal(refused?.ok, false);
    assert.match(refused!.error!, new RegExp(`has ${target.steps.length} steps; there is no step ${target.steps.length + 1}`));
    const unknown = await vscode.commands.executeCommand<EditResult>('hsstar.labelSteps', 'no-such:0', '1');
    assert.deepEqual(unknown, { ok: false, error: 'No response no-such:0 in this run.' });
    const bad = await vscode.commands.executeCommand<EditResult>('hsstar.labelSteps', target.response.id, '1,2');
    assert.equal(bad?.ok, false);
    assert.match(bad!.error!, /'2' at position 2/);
    assert.equal(events(dir).length, count, 'refused edits append nothing');
  });

  it('Audit Next Response opens the inspector at the head of the queue, never at a finished labelling', async () => {
    const labelled = new Set(events(dir).filter((e) => e.type === 'step-labels').map((e) => e.responseId));
    const item = await vscode.commands.executeCommand<{ problemId: string; responseId: string; minStepIndex: number | null; reason: string }>('hsstar.auditNext');
    assert.ok(item, 'the demo run has responses to audit');
    assert.equal(item.reason, 'prm-missed-error', 'the demo has wrong answers its PRM passes: they come first');
    assert.equal(ctx.inspector.currentProblem, item.problemId);
    const focus = { responseId: item.responseId, stepIndex: item.minStepIndex };
    for (let i = 0; i < 100 && JSON.stringify(ctx.inspector.lastFocus) !== JSON.stringify(focus); i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ctx.inspector.lastFocus, focus);
    // Labelling it to its first error takes it off the queue.
    const done = await vscode.commands.executeCommand<EditResult>('hsstar.labelSteps', item.responseId, undefined, { firstError: 1 });
    assert.equal(done?.ok, true, done?.error);
    const next = await vscode.commands.executeCommand<{ responseId: string }>('hsstar.auditNext');
    assert.notEqual(next?.responseId, item.responseId);
    assert.equal(labelled.has(next!.responseId), false);
  });

  it('Export Step Labels writes TRL stepwise rows for the finished labellings, and its manifest', async () => {
    const out = join(dir, 'exports', 'host-steps.jsonl');
    const result = await vscode.commands.executeCommand<{ file: string; manifestFile: string; manifest: { responses: number; neutralAs: boolean } }>(
      'hsstar.exportStepLabels',
      'trl-stepwise',
      out,
    );
    assert.ok(result, 'exported');
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The bad-problem labelling of the first tests stays out; the audited one is in, ending at its −1.
    assert.equal(rows.length, result.manifest.responses);
    assert.ok(rows.some((r) => r.labels.length === 1 && r.labels[0] === false), 'the audited response, its first step wrong');
    for (const r of rows) {
      assert.deepEqual(Object.keys(r), ['prompt', 'completions', 'labels']);
      assert.equal(r.completions.length, r.labels.length);
      assert.ok(r.labels.every((l: unknown) => typeof l === 'boolean'));
    }
    assert.equal(JSON.parse(readFileSync(result.manifestFile, 'utf8')).neutralAs, true);
    const written = readFileSync(out, 'utf8');
    const again = await vscode.commands.executeCommand('hsstar.exportStepLabels', 'trl-stepwise', out);
    assert.equal(again, undefined, 'an existing file is not replaced without force');
    assert.equal(readFileSync(out, 'utf8'), written);
  });
});
