import { lastBoxed } from './boxed';
import type { AnswerMode } from './layout';

export type Reduced = { ok: true; answer: string } | { ok: false; reason: string };

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** GSM8K writes thousands with commas (`#### 1,000`); the answer is the number. */
function dropThousands(s: string): string {
  return /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
}

/** Reduces a raw answer field to the reference final answer. */
export function reduceAnswer(field: string, value: unknown, mode: AnswerMode): Reduced {
  if (value === undefined) return { ok: false, reason: `missing answer field '${field}'` };
  switch (mode) {
    case 'list': {
      if (!Array.isArray(value)) return { ok: false, reason: `field '${field}' must be a list, found ${typeName(value)}` };
      const parts = value.map(scalar);
      if (parts.length === 0 || parts.some((p) => p === null || p === '')) {
        return { ok: false, reason: `field '${field}' must be a non-empty list of strings or numbers` };
      }
      return { ok: true, answer: parts.join(', ') };
    }
    case 'hash-tail': {
      if (typeof value !== 'string') return { ok: false, reason: `field '${field}' must be a string, found ${typeName(value)}` };
      const m = /(?:^|\n)####\s*(.+?)\s*$/.exec(value);
      if (!m?.[1]) return { ok: false, reason: `field '${field}' has no '#### answer' line at its end` };
      return { ok: true, answer: dropThousands(m[1]) };
    }
    case 'boxed': {
      if (typeof value !== 'string') return { ok: false, reason: `field '${field}' must be a string, found ${typeName(value)}` };
      const boxed = lastBoxed(value);
      if (boxed === null || boxed === '') return { ok: false, reason: `field '${field}' has no \\boxed{} answer` };
      return { ok: true, answer: boxed };
    }
    case 'plain': {
      const s = scalar(value);
      if (s === null) return { ok: false, reason: `field '${field}' must be a string or a number, found ${typeName(value)}` };
      if (s === '') return { ok: false, reason: `field '${field}' is empty` };
      return { ok: true, answer: s };
    }
  }
}
