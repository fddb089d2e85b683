import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { authorFlag, authorOf, freshStamp, recordEdits } from './curator-edits';

const flags = { unset: { type: 'boolean', default: false }, ...authorFlag } as const;

export const reviewCommand: Command = {
  name: 'review',
  summary: 'mark a problem reviewed (or remove the mark)',
  usage: `Usage: hsstar review DIR PROBLEM [--unset] [--author NAME]

Records that the author reviewed PROBLEM (--unset removes the mark), as the extension's
"Mark Reviewed" does; it works while a run is sampling the folder.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg, problemId] = positionals(pos, ['DIR', 'PROBLEM']);
    const stamp = freshStamp(authorOf(values.author, io.env));
    await recordEdits(dirArg!, io, () => [{ intent: { type: 'mark-reviewed', problemId, reviewed: !values.unset }, stamp, where: dirArg! }]);
    return 0;
  },
};
