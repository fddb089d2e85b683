import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UserError } from '../../core/errors';
import { describeDestination, keyDestinations, unapprovedDestinations } from '../../core/key-destinations';
import { ProjectStore } from '../../store/project';
import { approveKeyDestinations, readKeyApprovals } from '../../store/key-approvals';

const flags = { yes: { type: 'boolean', default: false } } as const;

export const trustCommand: Command = {
  name: 'trust',
  summary: 'approve the endpoint URLs a run folder sends your API keys to',
  usage: `Usage: hsstar trust DIR [--yes]

Lists every URL the run's hsstar.json would send an API key to, with the environment
variable holding the key, and whether you approved it on this machine. Without --yes it
only lists; with --yes it records approvals for all of them. A run (hsstar run, batch
submit, the extension) refuses to send a key anywhere not approved, so a run folder from
someone else cannot redirect your key; a changed URL needs a new approval.
Approvals live in your own config folder, never in a run folder: $HSSTAR_CONFIG_DIR,
else $XDG_CONFIG_HOME/hsstar, else ~/.config/hsstar (file approved-keys.json).`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    const { store } = await ProjectStore.open(resolve(io.cwd, dirArg!), { write: false });
    const settings = store.settings;
    await store.close();
    const all = keyDestinations(settings);
    if (all.length === 0) {
      io.stdout.write('this run sends no API key (no apiKeyEnv in its settings): nothing to approve\n');
      return 0;
    }
    const missing = new Set(unapprovedDestinations(all, readKeyApprovals(io.env)));
    for (const d of all) io.stdout.write(`${missing.has(d) ? 'NOT APPROVED' : 'approved    '}  ${describeDestination(d)}\n`);
    if (missing.size === 0) {
      io.stdout.write('every key destination is approved\n');
      return 0;
    }
    if (!values.yes) {
      throw new UserError(`${missing.size} not approved; if every URL above is one you mean to send that key to, run: hsstar trust ${dirArg} --yes`);
    }
    const file = await approveKeyDestinations(io.env, [...missing]);
    io.stdout.write(`approved ${missing.size} in ${file}\n`);
    return 0;
  },
};

