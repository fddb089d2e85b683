import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { authorFlag, authorOf, freshStamp, recordEdits } from './curator-edits';

const flags = { ...authorFlag } as const;

export const undoCommand: Command = {
  name: 'undo',
  summary: 'undo the author\'s last curator edit',
  usage: `Usage: hsstar undo DIR [--author NAME]

Appends an undo of the author's newest edit that still applies (label, review, pair,
thresholds); running it again undoes the one before. Other annotators' edits are theirs
to undo.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    const stamp = freshStamp(authorOf(values.author, io.env));
    await recordEdits(dirArg!, io, () => [{ intent: { type: 'undo' }, stamp, where: dirArg! }]);
    return 0;
  },
};
