import { join } from 'node:path';
import { createExclusive } from './folder/index';

/** Whether git tracks the logs a run appends (responses, scores) or leaves them to the sampler's machine. */
export type GitLogs = 'track' | 'ignore';
export const GIT_LOGS: readonly GitLogs[] = ['track', 'ignore'];

/**
 * The `.gitattributes` and `.gitignore` a run folder starts with, so a team shares it
 * through git: curator events are independent lines in one file per author, merged as a
 * union (two clones of one author both appending merge without a conflict; the reader
 * sorts and keeps each event id once); locks, temporary files, exports and the checkpoint
 * (index.hsstar) stay local.
 */
export function gitFiles(logs: GitLogs): Record<'.gitattributes' | '.gitignore', string> {
  return {
    '.gitattributes': [
      '# HS-STaR Curator: curator events are independent lines; a merge keeps the lines of both sides.',
      'events/*.jsonl merge=union',
      'events.jsonl merge=union',
      '*.jsonl text eol=lf',
      '',
    ].join('\n'),
    '.gitignore': [
      '# HS-STaR Curator: what stays on this machine.',
      '.lock',
      '.lock.*',
      'events/*.lock',
      'events/*.lock.*',
      '*.tmp',
      'exports/',
      '# The checkpoint: a cache signed with this user\'s key, for this folder only (another one is ignored).',
      'index.hsstar',
      ...(logs === 'ignore' ? ['# The logs a run appends, shared some other way (hsstar init --git-logs ignore).', 'responses.jsonl', 'scores.jsonl'] : []),
      '',
    ].join('\n'),
  };
}

/** Writes both files into a new run folder; returns their paths. Anything already there (a link too) is an error. */
export async function writeGitFiles(dir: string, logs: GitLogs): Promise<string[]> {
  const written: string[] = [];
  for (const [name, text] of Object.entries(gitFiles(logs))) {
    const path = join(dir, name);
    await createExclusive(path, text);
    written.push(path);
  }
  return written;
}
