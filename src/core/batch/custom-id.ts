/**
 * A batch request's `custom_id` names the response slots it buys, so an output file can be
 * matched back to the run without any side table: `hsstar:<problemId>:<slot>[,<slot>…]`.
 * Problem ids may contain `:`, so the slot list is whatever follows the last colon.
 */
export const CUSTOM_ID_PREFIX = 'hsstar:';

export interface SlotTarget {
  problemId: string;
  /** Distinct, ascending slots; one per choice of the request (`n` = slots.length). */
  slots: number[];
}

export function encodeCustomId(target: SlotTarget): string {
  if (target.slots.length === 0) throw new Error('a batch request needs at least one slot');
  return `${CUSTOM_ID_PREFIX}${target.problemId}:${target.slots.join(',')}`;
}

/** Null when the id was not written by this project (another tool's line, or edited by hand). */
export function decodeCustomId(customId: string): SlotTarget | null {
  if (!customId.startsWith(CUSTOM_ID_PREFIX)) return null;
  const rest = customId.slice(CUSTOM_ID_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) return null;
  const problemId = rest.slice(0, colon);
  const list = rest.slice(colon + 1);
  if (!/^\d+(,\d+)*$/.test(list)) return null;
  const slots = list.split(',').map(Number);
  if (slots.some((s) => !Number.isSafeInteger(s))) return null;
  if (new Set(slots).size !== slots.length) return null;
  return { problemId, slots };
}
