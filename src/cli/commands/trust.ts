import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import type { Command } from '../command';
import type { CliIO } from '../io';
import { parseFlags, positionals } from '../args';
import { UserError } from '../../core/errors';
import { describeDestination, endpointDestinations, unapprovedDestinations } from '../../core/key-destinations';
import { ProjectStore } from '../../store/project';
import { approveEndpoints, readKeyApprovals } from '../../store/key-approvals';

const flags = { yes: { type: 'boolean', default: false } } as const;

/** Asks on the terminal; only when both stdin and stdout are one (never in a pipe or a script). */
async function confirmed(io: CliIO, question: string): Promise<boolean> {
  if ((io.stdin as { isTTY?: boolean }).isTTY !== true || io.stdout.isTTY !== true) return false;
  const rl = createInterface({ input: io.stdin, output: io.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const trustCommand: Command = {
  name: 'trust',
  summary: 'approve the endpoint URLs a run folder sends requests (and your API keys) to',
  usage: `Usage: hsstar trust DIR [--yes]

Lists every URL the run's hsstar.json sends requests to (each carries the run's problems),
with the environment variable whose key goes with it, or "no key", and whether you
approved it on this machine. With --yes it records approvals for all of them; without it,
on a terminal it asks, and otherwise it only lists (exit 1 while any is not approved).
A run (hsstar run, batch submit, the extension) refuses to send anything to a URL not
approved, so a run folder from someone else cannot redirect your data or your key; a
changed URL, or a key variable added to it, needs a new approval. A run created on this
machine (hsstar init, hsstar demo, the extension's New Run) has its URLs approved as it
is created. Approvals live in your own config folder, never in a run folder:
$HSSTAR_CONFIG_DIR, else $XDG_CONFIG_HOME/hsstar, else ~/.config/hsstar (file
approved-keys.json).`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    const { store } = await ProjectStore.open(resolve(io.cwd, dirArg!), { write: false });
    const settings = store.settings;
    await store.close();
    const all = endpointDestinations(settings);
    const missing = new Set(unapprovedDestinations(all, readKeyApprovals(io.env)));
    for (const d of all) io.stdout.write(`${missing.has(d) ? 'NOT APPROVED' : 'approved    '}  ${describeDestination(d)}\n`);
    if (missing.size === 0) {
      io.stdout.write('every endpoint is approved\n');
      return 0;
    }
    if (!values.yes && !(await confirmed(io, `approve these ${missing.size} on this machine? [y/N] `))) {
      throw new UserError(`${missing.size} not approved; if every URL above is one you mean to send this run's requests (and that key) to, run: hsstar trust ${dirArg} --yes`);
    }
    const file = await approveEndpoints(io.env, [...missing]);
    io.stdout.write(`approved ${missing.size} in ${file}\n`);
    return 0;
  },
};
