import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { authorFlag, authorOf, freshStamp, recordEdits } from './curator-edits';

const flags = { ...authorFlag } as const;

const ACTIONS = ['swap', 'drop', 'pin', 'unpin', 'add'] as const;
type Action = (typeof ACTIONS)[number];

function intentOf(action: Action, ref: { problemId: string; chosenId: string; rejectedId: string }): Record<string, unknown> {
  if (action === 'pin' || action === 'unpin') return { type: 'pair-pin', ...ref, pinned: action === 'pin' };
  return { type: `pair-${action}`, ...ref };
}

export const pairCommand: Command = {
  name: 'pair',
  summary: 'edit a problem\'s DPO pairs: swap, drop, pin, unpin or add',
  usage: `Usage: hsstar pair DIR PROBLEM swap|drop|pin|unpin|add CHOSEN REJECTED [--author NAME]

CHOSEN and REJECTED are response ids (PROBLEM:SLOT, as \`hsstar status --json\` lists
them). swap, drop, pin and unpin need the pair to exist; add needs two different
responses of PROBLEM and a pair not there yet. The same checks and events as the
extension's pair controls; nothing is written on error.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg, problemId, action, chosenId, rejectedId] = positionals(pos, ['DIR', 'PROBLEM', 'ACTION', 'CHOSEN', 'REJECTED']);
    if (!(ACTIONS as readonly string[]).includes(action!)) throw new UsageError(`ACTION must be one of ${ACTIONS.join(', ')} (got '${action}')`);
    const stamp = freshStamp(authorOf(values.author, io.env));
    const intent = intentOf(action as Action, { problemId: problemId!, chosenId: chosenId!, rejectedId: rejectedId! });
    await recordEdits(dirArg!, io, () => [{ intent, stamp, where: dirArg! }]);
    return 0;
  },
};
