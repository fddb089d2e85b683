import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { repairRun } from '../../store/repair';

export const repairCommand: Command = {
  name: 'repair',
  summary: 'move lines no command can read out of a run folder\'s logs, byte for byte',
  usage: `Usage: hsstar repair DIR

Moves every complete line of DIR's logs (responses.jsonl, scores.jsonl, events.jsonl and
events/*.jsonl) that is not a valid record, byte for byte, to
DIR/quarantine/<log>.<time>.jsonl, with a note of the file and line each came from
(<log>.<time>.txt), and changes nothing else. Writing commands refuse a folder holding
such a line and name this command; status lists them.
Lines of record kinds this version does not know (a newer version wrote them) are kept,
and so is a torn last line (the next writer cuts it). Takes the folder's lock: stop a run
writing it first.`,
  async run(argv, io) {
    const { positionals: pos } = parseFlags(argv, {});
    const [dirArg] = positionals(pos, ['DIR']);
    const dir = resolve(io.cwd, dirArg!);
    const moved = await repairRun(dir);
    if (moved.length === 0) io.stdout.write(`${dir}: nothing to repair; every complete line is a valid record\n`);
    for (const m of moved) {
      const n = m.lines.length;
      io.stdout.write(`moved ${n} line${n === 1 ? '' : 's'} of ${m.log} (line${n === 1 ? '' : 's'} ${m.lines.join(', ')}) to ${m.quarantine}; where they were: ${m.note}\n`);
    }
    return 0;
  },
};
