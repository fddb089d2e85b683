import type { EffectiveLabel } from '../core/schema/index';

/** How numbers, labels and long texts are shown in the tree and the inspector: plain strings, no markup. */

export function formatScore(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** First line-ish of a question, whitespace collapsed, cut at `max` characters. */
export function shortText(text: string, max = 80): string {
  // Only the head is looked at, so a megabyte of text costs nothing here.
  const head = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return head.length > max ? `${head.slice(0, max - 1)}…` : head;
}

const LABEL_NAMES: Record<EffectiveLabel, string> = {
  boundary: 'Boundary',
  inlier: 'Inlier',
  outlier: 'Outlier',
  unlabelled: 'Unlabelled',
};

export function labelName(label: EffectiveLabel): string {
  return LABEL_NAMES[label];
}
