import type { ExtractionMethod } from '../schema/grade';

/** Responses longer than this are only searched in their tail: the final answer sits at the end. */
const MAX_SCAN = 200_000;

/** Empty or malformed boxes skipped before giving up: each costs a scan of the rest of the text. */
const MAX_BOXES_TRIED = 16;

/** Datasets whose references are plain numbers and whose graders fall back to the last number. */
const LAST_NUMBER_DATASETS = new Set(['gsm8k', 'gsm-hard', 'svamp', 'asdiv', 'mawps', 'tabmwp', 'multiarith', 'addsub', 'singleeq']);

export interface Extraction {
  extracted: string | null;
  method: ExtractionMethod;
}

/**
 * Content of the brace group opening at `open` (which must be `{`), or null when the
 * group never closes.
 */
export function braceGroup(text: string, open: number): { content: string; end: number } | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++; // an escaped brace `\{` does not open or close the group
      continue;
    }
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return { content: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return null;
}

/** The last `\boxed{…}` or `\fbox{…}`; `\boxed 5` (no braces) runs to the next `$` or line end. */
function lastBox(text: string): string | null {
  let at = Math.max(text.lastIndexOf('\\boxed'), text.lastIndexOf('\\fbox'));
  let tried = 0;
  while (at >= 0) {
    const nameEnd = at + (text.startsWith('\\boxed', at) ? 6 : 5);
    let i = nameEnd;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] === '{') {
      const group = braceGroup(text, i);
      // An unclosed last box (a truncated response) still holds the answer written so far.
      const content = group ? group.content : text.slice(i + 1);
      if (content.trim() !== '') return content;
    } else if (i > nameEnd && i < text.length) {
      const m = /^[^$\n]*/.exec(text.slice(i));
      const v = m ? m[0].trim() : '';
      if (v) return v;
    }
    // `\boxedfoo` or an empty box: look further back, a bounded number of times.
    if (++tried >= MAX_BOXES_TRIED || at === 0) return null;
    at = Math.max(text.lastIndexOf('\\boxed', at - 1), text.lastIndexOf('\\fbox', at - 1));
  }
  return null;
}

const PHRASES = /(?:the\s+final\s+answer\s+is|final\s+answer\s*(?:is)?\s*:|the\s+answer\s+is|answer\s*:)/gi;

/** Text after the last "the answer is" / "final answer:" up to the end of its sentence. */
function lastPhrase(text: string): string | null {
  let last: RegExpExecArray | null = null;
  PHRASES.lastIndex = 0;
  for (let m = PHRASES.exec(text); m; m = PHRASES.exec(text)) last = m;
  if (!last) return null;
  let rest = text.slice(last.index + last[0].length);
  const line = rest.search(/\n\s*\n/);
  if (line >= 0) rest = rest.slice(0, line);
  rest = rest.replace(/^[\s:]+/, '');
  // A sentence ends at ". " followed by a capital or at the line end; decimals keep their dot.
  const stop = rest.search(/\.\s+(?=[A-Z])|\.\s*$|\n/);
  if (stop >= 0) rest = rest.slice(0, stop);
  rest = rest.replace(/^\$+|\$+$/g, '').replace(/^\\\(|\\\)$/g, '').replace(/^\\\[|\\\]$/g, '').trim();
  return rest || null;
}

const NUMBER = /-?\d[\d,]*(?:\.\d+)?|-?\.\d+/g;

function lastNumber(text: string): string | null {
  const all = text.match(NUMBER);
  if (!all) return null;
  return all[all.length - 1]!.replace(/,/g, '');
}

/** Finds the final answer of a response, and says how it was found. */
export function extractAnswer(text: string, opts: { dataName?: string } = {}): Extraction {
  if (typeof text !== 'string' || text.length === 0) return { extracted: null, method: 'none' };
  const t = text.length > MAX_SCAN ? text.slice(text.length - MAX_SCAN) : text;
  const box = lastBox(t);
  if (box !== null && box.trim() !== '') return { extracted: box.trim(), method: 'box' };
  const lastNumberDataset = opts.dataName !== undefined && LAST_NUMBER_DATASETS.has(opts.dataName.toLowerCase());
  if (lastNumberDataset) {
    const tail = /####\s*([^\n]+)/.exec(t);
    if (tail) return { extracted: tail[1]!.trim(), method: 'phrase' };
  }
  const phrase = lastPhrase(t);
  if (phrase !== null) return { extracted: phrase, method: 'phrase' };
  if (lastNumberDataset) {
    const n = lastNumber(t);
    if (n !== null) return { extracted: n, method: 'last-number' };
  }
  return { extracted: null, method: 'none' };
}
