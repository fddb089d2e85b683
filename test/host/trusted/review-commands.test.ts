import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { eventsOnDisk } from '../../support/event-files';

const EXTENSION_ID = 'hsstar.hsstar-curator';

interface ProblemLike {
  phiA: number | null;
  responses: unknown[];
  effective: string;
  reviewed: boolean;
  problem: { id: string };
}
interface Element {
  kind: string;
  group?: string;
  problemId?: string;
}
interface ResponseLike {
  response: { id: string };
  minStepIndex: number | null;
}
interface CtxLike {
  tree: { getChildren(e?: Element): Element[] };
  inspector: { lastFocus: { responseId: string; stepIndex: number | null } | null };
  session: { state: { problems: ProblemLike[]; byId: ReadonlyMap<string, ProblemLike>; thresholds: { tauLow: number; tauHigh: number } } | null; dir: string | null };
}

/** Every problem in the tree, group by group (all pages: "Show more" nodes are followed). */
function shown(ctx: CtxLike): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of ctx.tree.getChildren()) {
    out[g.group!] = ctx.tree.getChildren(g).filter((c) => c.kind === 'problem').map((c) => c.problemId!);
  }
  return out;
}

function total(groups: Record<string, string[]>): number {
  return Object.values(groups).reduce((a, ids) => a + ids.length, 0);
}

function events(dir: string): Array<Record<string, unknown>> {
  return eventsOnDisk(dir);
}

describe('review commands on the demo run', function () {
  let ctx: CtxLike;
  let dir: string;

  before(async () => {
    // Large pages, so every problem of a group is a child and counts can be compared.
    await vscode.workspace.getConfiguration('hsstar').update('tree.pageSize', 1000, vscode.ConfigurationTarget.Global);
    const api = await vscode.extensions.getExtension<{ ctx(): Promise<CtxLike> }>(EXTENSION_ID)!.activate();
    ctx = await api.ctx();
  });

  it('Open Demo Run builds the demo through the local replay server and opens it', async () => {
    dir = (await vscode.commands.executeCommand<string>('hsstar.openDemo'))!;
    assert.ok(dir && existsSync(join(dir, 'hsstar.json')));
    assert.equal(ctx.session.dir, dir);
    const groups = shown(ctx);
    assert.equal(total(groups), ctx.session.state!.problems.length);
    for (const g of ['boundary', 'inlier', 'outlier']) assert.ok(g in groups, `group ${g} shown`);
  });

  it('Open Run reopens a run folder given as argument', async () => {
    assert.equal(await vscode.commands.executeCommand('hsstar.openRun', dir), dir);
    assert.equal(ctx.session.dir, dir);
  });

  it('Re-sample This Problem on the demo run buys from a fresh local replay server', async () => {
    const problem = ctx.session.state!.problems.find((p) => p.effective === 'boundary')!;
    const before = problem.responses.length;
    const outcome = await vscode.commands.executeCommand<{ status: string; message: string }>('hsstar.resampleProblem', problem.problem.id, 2);
    assert.equal(outcome?.status, 'completed', outcome?.message);
    assert.equal(ctx.session.state!.byId.get(problem.problem.id)!.responses.length, before + 2);
  });

  it('Open Problem shows the inspector webview', async () => {
    const id = shown(ctx).boundary![0]!;
    assert.equal(await vscode.commands.executeCommand('hsstar.openProblem', id), true);
    // The panel is created synchronously; its tab appears once the workbench answers.
    const inspectorTab = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('hsstar.inspector'));
    for (let i = 0; i < 50 && !inspectorTab(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(inspectorTab(), 'inspector tab open');
    assert.equal(await vscode.commands.executeCommand('hsstar.openProblem', 'no-such-problem'), false);
  });

  it('Open Problem with a focus posts it to the inspector page; a response of another problem is refused', async () => {
    const [id, other] = shown(ctx).boundary!;
    const responses = ctx.session.state!.byId.get(id!)!.responses as ResponseLike[];
    const target = responses.find((r) => r.minStepIndex !== null) ?? responses[0]!;
    const focus = { responseId: target.response.id, stepIndex: target.minStepIndex };
    assert.equal(await vscode.commands.executeCommand('hsstar.openProblem', id, focus), true);
    // Posted with the render that follows the page's `ready` (or at once if the page is up).
    for (let i = 0; i < 100 && JSON.stringify(ctx.inspector.lastFocus) !== JSON.stringify(focus); i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ctx.inspector.lastFocus, focus);
    const foreign = (ctx.session.state!.byId.get(other!)!.responses as ResponseLike[])[0]!.response.id;
    assert.equal(await vscode.commands.executeCommand('hsstar.openProblem', id, { responseId: foreign }), false);
    assert.equal(await vscode.commands.executeCommand('hsstar.openProblem', id, { responseId: target.response.id, stepIndex: -1 }), false);
  });

  it('Mark Reviewed records the review in the event log', async () => {
    const id = shown(ctx).boundary![0]!;
    const before = events(dir).length;
    const result = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('hsstar.markReviewed', id, true);
    assert.equal(result?.ok, true, result?.error);
    assert.equal(ctx.session.state!.byId.get(id)!.reviewed, true);
    const added = events(dir).slice(before);
    assert.ok(added.some((e) => e.problemId === id), `review event: ${JSON.stringify(added)}`);
  });

  it('Sort By orders each group by accuracy', async () => {
    await vscode.commands.executeCommand('hsstar.sortBy', 'phiA', true);
    const phis = shown(ctx).boundary!.map((id) => ctx.session.state!.byId.get(id)!.phiA ?? -1);
    assert.deepEqual(phis, [...phis].sort((a, b) => b - a));
    await vscode.commands.executeCommand('hsstar.sortBy', 'phiA', false);
    const ascending = shown(ctx).boundary!.map((id) => ctx.session.state!.byId.get(id)!.phiA ?? -1);
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
  });

  it('Filter narrows the tree to matching problems and Clear Filter restores it', async () => {
    const all = total(shown(ctx));
    const id = shown(ctx).inlier![0]!;
    await vscode.commands.executeCommand('hsstar.filter', id);
    const filtered = shown(ctx);
    assert.ok(Object.values(filtered).flat().includes(id));
    assert.ok(total(filtered) < all, `filter narrowed ${all} to ${total(filtered)}`);
    await vscode.commands.executeCommand('hsstar.clearFilter');
    assert.equal(total(shown(ctx)), all);
  });

  it('Set Thresholds relabels from the logs without new requests', async () => {
    const { tauLow, tauHigh } = ctx.session.state!.thresholds;
    const responses = ctx.session.state!.problems.reduce((a, p) => a + p.responses.length, 0);
    // phi_r can be neither below 0 nor above 1: every problem is Boundary unless overridden.
    await vscode.commands.executeCommand('hsstar.setThresholds', 0, 1);
    const groups = shown(ctx);
    assert.equal(groups.inlier?.length ?? 0, 0);
    assert.equal(groups.outlier?.length ?? 0, 0);
    assert.equal(ctx.session.state!.problems.reduce((a, p) => a + p.responses.length, 0), responses);
    await vscode.commands.executeCommand('hsstar.setThresholds', tauLow, tauHigh);
    assert.ok((shown(ctx).inlier?.length ?? 0) > 0);
  });
});
