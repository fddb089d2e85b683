import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { authorFlag, authorOf, freshStamp, recordEdits } from './curator-edits';

const flags = { as: { type: 'string' }, reason: { type: 'string' }, ...authorFlag } as const;

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'settle a problem\'s label for the team (e.g. a conflict between annotators)',
  usage: `Usage: hsstar resolve DIR PROBLEM --as inlier|boundary|outlier --reason TEXT [--author NAME]

Records a resolution: it settles PROBLEM's label above every annotator's own decision,
until a lead decides again (docs/curation.md has the rule). \`hsstar status\` lists the
conflicts to resolve.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg, problemId] = positionals(pos, ['DIR', 'PROBLEM']);
    if (!values.as) throw new UsageError('missing --as inlier|boundary|outlier');
    if (values.reason === undefined) throw new UsageError('missing --reason (say how it was settled)');
    const stamp = freshStamp(authorOf(values.author, io.env));
    await recordEdits(dirArg!, io, () => [{ intent: { type: 'resolve-label', problemId, label: values.as, reason: values.reason }, stamp, where: dirArg! }]);
    return 0;
  },
};
