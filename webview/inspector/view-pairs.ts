import type { InspectorPayload, PairPayload, ResponsePayload } from '../../src/protocol';
import { button, dropdown } from '../components/index';
import { formatScore, h } from '../common/dom';
import type { Actions } from './actions';

function side(title: string, r: ResponsePayload | undefined, id: string, score: number | null): HTMLElement {
  return h(
    'div',
    { className: 'pair-side' },
    h('div', { className: 'pair-title' }, `${title}: #${r ? r.slot : id} · score ${formatScore(score)}`),
    r ? h('div', { className: 'muted' }, `${r.correct === null ? 'not graded' : r.correct ? 'correct' : 'incorrect'} · answer ${r.extracted ?? 'none'}`) : null,
  );
}

function pairRow(p: InspectorPayload, pair: PairPayload, index: number, actions: Actions): HTMLElement {
  const ref = { problemId: p.problem.id, chosenId: pair.chosenId, rejectedId: pair.rejectedId };
  const byId = (id: string) => p.responses.find((r) => r.id === id);
  return h(
    'div',
    { className: `pair${pair.pinned ? ' pinned' : ''}`, testId: `pair-${index}`, role: 'group', ariaLabel: `Pair ${index + 1}${pair.pinned ? ', pinned' : ''}` },
    side('Chosen', byId(pair.chosenId), pair.chosenId, pair.chosenScore),
    side('Rejected', byId(pair.rejectedId), pair.rejectedId, pair.rejectedScore),
    h(
      'div',
      { className: 'pair-actions' },
      h('span', { className: 'muted' }, pair.origin === 'curator' ? 'added by curator' : 'built automatically'),
      button({ label: 'Swap', ariaLabel: `Swap chosen and rejected of pair ${index + 1}`, testId: `pair-swap-${index}`, secondary: true, onClick: () => actions.send({ type: 'pair-swap', ...ref }) }),
      button({ label: 'Drop', ariaLabel: `Drop pair ${index + 1}`, testId: `pair-drop-${index}`, secondary: true, onClick: () => actions.send({ type: 'pair-drop', ...ref }) }),
      button({
        label: pair.pinned ? 'Unpin' : 'Pin',
        ariaLabel: `${pair.pinned ? 'Unpin' : 'Pin'} pair ${index + 1}`,
        testId: `pair-pin-${index}`,
        secondary: true,
        onClick: () => actions.send({ type: 'pair-pin', ...ref, pinned: !pair.pinned }),
      }),
    ),
  );
}

export function renderPairs(p: InspectorPayload, actions: Actions): HTMLElement {
  const section = h('section', { className: 'pairs', testId: 'pairs', ariaLabel: 'Preference pairs' }, h('h2', {}, `Pairs (${p.pairs.length})`));
  if (p.pairs.length === 0) section.append(h('p', { className: 'muted' }, 'No pairs for this problem.'));
  p.pairs.forEach((pair, i) => section.append(pairRow(p, pair, i, actions)));
  if (p.responses.length >= 2) {
    const options = p.responses.map((r) => ({
      value: r.id,
      text: `#${r.slot} ${r.correct === null ? '?' : r.correct ? '✓' : '✗'} ${formatScore(r.minScore)}`,
    }));
    const chosen = dropdown({ label: 'Chosen response', options, testId: 'add-chosen' });
    const rejected = dropdown({ label: 'Rejected response', options, testId: 'add-rejected' });
    section.append(
      h(
        'div',
        { className: 'pair-add', role: 'group', ariaLabel: 'Add a pair' },
        h('span', {}, 'Add pair: chosen '),
        chosen.element,
        h('span', {}, ' rejected '),
        rejected.element,
        button({
          label: 'Add',
          ariaLabel: 'Add the pair',
          testId: 'pair-add',
          onClick: () => actions.send({ type: 'pair-add', problemId: p.problem.id, chosenId: chosen.value(), rejectedId: rejected.value() }),
        }),
      ),
    );
  }
  return section;
}
