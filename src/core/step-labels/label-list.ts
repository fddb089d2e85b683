import { UsageError } from '../errors';
import type { StepLabelEntry } from '../schema/index';

const TOKENS: Record<string, StepLabelEntry['rating'] | 'unsure' | 'skip'> = { '1': 1, '+1': 1, '0': 0, '-1': -1, '?': 'unsure', '': 'skip', _: 'skip', x: null };

/**
 * `1,1,-1` → one entry per step from step 1; `?` marks a step unsure, `_` (or nothing)
 * leaves it as it is, `x` clears it. The CLI's `--labels` and the Label Steps command share it.
 */
export function parseLabelList(text: string): StepLabelEntry[] {
  const out: StepLabelEntry[] = [];
  text.split(',').forEach((raw, i) => {
    const token = raw.trim();
    const r = TOKENS[token];
    if (r === undefined) throw new UsageError(`--labels: '${token}' at position ${i + 1} is not 1, 0, -1, ? (unsure), _ (leave) or x (clear)`);
    if (r === 'skip') return;
    out.push(r === 'unsure' ? { step: i, rating: null, note: '', unsure: true } : { step: i, rating: r, note: '', unsure: false });
  });
  return out;
}

/** "First error at step K" (from 1): steps 1..K-1 rated +1, step K −1, later steps untouched. */
export function firstErrorEntries(given: number | string): StepLabelEntry[] {
  const k = Number(given);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--first-error takes a step number from 1 (got '${given}')`);
  return Array.from({ length: k }, (_, i) => ({ step: i, rating: i === k - 1 ? -1 : 1, note: '', unsure: false }));
}
