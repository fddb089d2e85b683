import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CuratorEvent, Label } from '../../../src/core/schema/index';
import { resolveLabels } from '../../../src/core/team/label-resolution';
import { agreementOf, cohensKappa, krippendorffAlpha } from '../../../src/core/team/agreement';
import { HAND_CASE } from './team-hand-case';

let n = 0;
const at = () => `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`;
function label(author: string, problemId: string, l: Label): CuratorEvent {
  n++;
  return { type: 'label-override', id: `e${n}`, at: at(), author, problemId, label: l, reason: `${author} says ${l}` };
}

const ORDER = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-12;

test('kappa per pair and alpha over all match the values computed by hand', () => {
  const events = HAND_CASE.map(([a, p, l]) => label(a, p, l));
  const agreement = agreementOf(resolveLabels(events), ORDER);
  assert.deepEqual(agreement.annotators, ['ann', 'bob', 'cara']);
  const byPair = Object.fromEntries(agreement.pairs.map((p) => [`${p.a}-${p.b}`, p]));
  // ann–bob: 4 shared, p_o = 3/4, p_e = 1/16 + 2/16 + 2/16 = 5/16, kappa = (12 − 5) / 11.
  assert.equal(byPair['ann-bob']!.items, 4);
  assert.ok(close(byPair['ann-bob']!.kappa, 7 / 11));
  // ann–cara: 4 shared, p_o = 3/4, p_e = 6/16 + 2/16 = 1/2, kappa = 1/2.
  assert.ok(close(byPair['ann-cara']!.kappa, 0.5));
  // bob–cara: 3 shared, p_o = 1/3, p_e = 2/9 + 1/9 = 1/3, kappa = 0.
  assert.equal(byPair['bob-cara']!.items, 3);
  assert.ok(close(byPair['bob-cara']!.kappa, 0));
  // alpha: n = 13 values in 5 units; n_inlier 6, n_boundary 4, n_outlier 3; expected 169 − 61 = 108;
  // observed: p2 and p4 each 2·2·1 / (3 − 1) = 2; alpha = 1 − 12 · 4 / 108 = 5/9.
  assert.equal(agreement.units, 5);
  assert.ok(close(agreement.alpha, 5 / 9));
  assert.deepEqual(agreement.conflicts, ['p2', 'p4']);
});

test('the resolution rule: a lead\'s latest decision, else agreement, else conflict; a resolution event settles it', () => {
  const events: CuratorEvent[] = HAND_CASE.map(([a, p, l]) => label(a, p, l));
  let team = resolveLabels(events);
  assert.equal(team.get('p1')!.kind, 'agreement');
  assert.equal(team.get('p1')!.label, 'inlier');
  assert.equal(team.get('p3')!.kind, 'agreement', 'two who decided agree; cara gave nothing');
  assert.equal(team.get('p2')!.kind, 'conflict');
  assert.equal(team.get('p2')!.label, null);
  assert.deepEqual(team.get('p2')!.decisions.map((d) => [d.author, d.label]), [['ann', 'boundary'], ['bob', 'outlier'], ['cara', 'boundary']]);
  assert.equal(team.has('p0'), false);

  // bob becomes lead: his latest decision settles p2 and p4, whatever the others said.
  n++;
  events.push({ type: 'role', id: `e${n}`, at: at(), author: 'ann', annotator: 'bob', role: 'lead' });
  team = resolveLabels(events);
  assert.deepEqual([team.get('p2')!.kind, team.get('p2')!.label], ['lead', 'outlier']);
  assert.deepEqual([team.get('p4')!.kind, team.get('p4')!.label], ['lead', 'boundary']);
  // A later resolution event overrides the lead's earlier decision; a later lead decision wins again.
  n++;
  events.push({ type: 'label-resolve', id: `e${n}`, at: at(), author: 'cara', problemId: 'p2', label: 'boundary', reason: 'discussed: boundary' });
  team = resolveLabels(events);
  assert.deepEqual([team.get('p2')!.kind, team.get('p2')!.label, team.get('p2')!.by!.author], ['resolution', 'boundary', 'cara']);
  events.push(label('bob', 'p2', 'inlier'));
  assert.deepEqual([resolveLabels(events).get('p2')!.kind, resolveLabels(events).get('p2')!.label], ['lead', 'inlier']);
  // An annotator clearing withdraws only their own decision.
  n++;
  events.push({ type: 'label-clear', id: `e${n}`, at: at(), author: 'cara', problemId: 'p4', reason: '' });
  assert.deepEqual(resolveLabels(events).get('p4')!.decisions.map((d) => d.author), ['ann', 'bob']);
});

test('kappa and alpha are undefined, not made up, when one category is all there is', () => {
  assert.equal(cohensKappa(['inlier', 'inlier'], ['inlier', 'inlier']), null);
  assert.equal(cohensKappa([], []), null);
  assert.equal(krippendorffAlpha([['inlier', 'inlier'], ['inlier']]), null);
  assert.ok(close(krippendorffAlpha([['inlier', 'inlier'], ['outlier', 'outlier']]), 1));
});
