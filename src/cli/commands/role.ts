import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { authorFlag, authorOf, freshStamp, recordEdits } from './curator-edits';

const flags = { lead: { type: 'boolean', default: false }, annotator: { type: 'boolean', default: false }, ...authorFlag } as const;

export const roleCommand: Command = {
  name: 'role',
  summary: 'make an annotator a lead (whose latest decision settles a label), or not',
  usage: `Usage: hsstar role DIR NAME --lead|--annotator [--author NAME]

Records NAME's role as an event. A lead's latest label decision settles a problem's label
for the team; annotators' decisions settle it only when they agree.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg, annotator] = positionals(pos, ['DIR', 'NAME']);
    if (values.lead === values.annotator) throw new UsageError('give one of --lead or --annotator');
    const stamp = freshStamp(authorOf(values.author, io.env));
    await recordEdits(dirArg!, io, () => [{ intent: { type: 'set-role', annotator, role: values.lead ? 'lead' : 'annotator' }, stamp, where: dirArg! }]);
    return 0;
  },
};
