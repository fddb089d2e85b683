import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError, UserError } from '../../core/errors';
import { ImportedDecision } from '../../core/schema/decision-import';
import { readBounded } from '../../store/folder/index';
import { authorFlag, authorOf, freshStamp, recordEdits, type RequestedEdit } from './curator-edits';

/** A decisions file holds a line per decision: as large as a run's own events file may be. */
const DECISIONS_MAX_BYTES = 256 << 20;

const flags = {
  as: { type: 'string' },
  reason: { type: 'string' },
  clear: { type: 'boolean', default: false },
  from: { type: 'string' },
  ...authorFlag,
} as const;

/** The lines of a decisions file as edits; a line that does not parse stops the import, naming it. */
async function importedEdits(file: string, author: string): Promise<{ edits: RequestedEdit[]; ids: string[] }> {
  let text: string;
  try {
    // The user's own file (a link of theirs is followed), but read bounded: a device or FIFO is refused, not read forever.
    const bytes = await readBounded(file, { maxBytes: DECISIONS_MAX_BYTES, follow: true });
    if (!bytes) throw new UserError('no such file', file);
    text = bytes.toString('utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  const edits: RequestedEdit[] = [];
  const ids: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new UserError(`not JSON: ${(err as Error).message}`, where);
    }
    const d = ImportedDecision.safeParse(value);
    if (!d.success) {
      const issue = d.error.issues[0]!;
      throw new UserError(`${issue.path.map(String).join('.') || 'line'}: ${issue.message}`, where);
    }
    const by = d.data.author ?? author;
    // The same line imported again makes the same id, and the store keeps an id once.
    const id = `import-${createHash('sha256').update(`${by}\n${line}`).digest('hex').slice(0, 32)}`;
    ids.push(id);
    edits.push({
      intent: { type: 'override-label', problemId: d.data.problemId, label: d.data.label, reason: d.data.reason },
      stamp: { id, at: d.data.at ?? new Date().toISOString(), author: by },
      where,
    });
  });
  return { edits, ids };
}

export const labelCommand: Command = {
  name: 'label',
  summary: 'override a problem\'s label (or import label decisions from a file)',
  usage: `Usage: hsstar label DIR PROBLEM --as inlier|boundary|outlier --reason TEXT [--author NAME]
       hsstar label DIR PROBLEM --clear [--reason TEXT] [--author NAME]
       hsstar label DIR --from FILE.jsonl [--author NAME]

Records a curator override as an event in the author's events file, the same event the
extension writes; it works while a run is sampling the folder. --from imports decisions
made elsewhere, one JSON object a line: {"problemId", "label", "reason", "author"?, "at"?}.
Every edit is checked first (known problem, allowed label, a reason); on any error
nothing is written. Importing the same file twice adds nothing.
The author is --author, else $HSSTAR_AUTHOR, else the OS user.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const author = authorOf(values.author, io.env);
    if (values.from !== undefined) {
      const [dirArg] = positionals(pos, ['DIR']);
      if (values.as || values.clear) throw new UsageError('--from takes the labels from the file: leave out --as and --clear');
      const { edits, ids } = await importedEdits(resolve(io.cwd, values.from), author);
      let skipped = 0;
      const written = await recordEdits(dirArg!, io, (_state, store) => {
        const known = new Set(store.events().map((e) => e.id));
        const fresh = edits.filter((e) => !known.has(e.stamp.id));
        skipped = ids.length - fresh.length;
        return fresh;
      });
      io.stdout.write(`imported ${written.length} decisions${skipped ? ` (${skipped} already imported)` : ''}\n`);
      return 0;
    }
    const [dirArg, problemId] = positionals(pos, ['DIR', 'PROBLEM']);
    if (values.clear) {
      if (values.as) throw new UsageError('give either --as or --clear');
      await recordEdits(dirArg!, io, () => [{ intent: { type: 'clear-override', problemId, reason: values.reason ?? '' }, stamp: freshStamp(author), where: dirArg! }]);
      return 0;
    }
    if (!values.as) throw new UsageError('missing --as inlier|boundary|outlier');
    if (values.reason === undefined) throw new UsageError('missing --reason (say why the label changes)');
    await recordEdits(dirArg!, io, () => [
      { intent: { type: 'override-label', problemId, label: values.as, reason: values.reason }, stamp: freshStamp(author), where: dirArg! },
    ]);
    return 0;
  },
};
