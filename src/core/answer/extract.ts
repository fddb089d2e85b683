import type { ExtractionMethod } from '../schema/grade';

/** Responses longer than this are only searched in their tail: the final answer sits at the end. */
const MAX_SCAN = 200_000;

/** Empty or malformed boxes skipped before giving up: each costs a scan of the rest of the text. */
const MAX_BOXES_TRIED = 16;

/** Datasets whose references end in a GSM8K-style `#### n` tail. */
const HASH_TAIL_DATASETS = new Set(['gsm8k', 'gsm-hard', 'svamp', 'asdiv', 'mawps', 'tabmwp', 'multiarith', 'addsub', 'singleeq']);

/**
 * Multiple-choice datasets: the reference reads a letter there, never the last number, so a
 * response without a box or phrase has no answer.
 */
const CHOICE_DATASETS = new Set(['mmlu_stem', 'sat_math', 'aqua', 'gaokao2023']);

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

/**
 * Minerva's few-shot format, "Final Answer: The final answer is $X$. I hope it is correct.":
 * the model's own statement of its answer, read before any box (as the reference does).
 */
const MINERVA_END = /I\s+hope\s+it\s+is\s+correct/gi;
const MINERVA_START = /final\s+answer\s+is\s*/gi;
/** How far before "I hope it is correct" its "final answer is" may be. */
const MINERVA_SPAN = 1000;

function minervaStatement(text: string): string | null {
  let end = -1;
  MINERVA_END.lastIndex = 0;
  for (let m = MINERVA_END.exec(text); m; m = MINERVA_END.exec(text)) end = m.index;
  if (end < 0) return null;
  const from = Math.max(0, end - MINERVA_SPAN);
  const window = text.slice(from, end);
  let start = -1;
  MINERVA_START.lastIndex = 0;
  for (let m = MINERVA_START.exec(window); m; m = MINERVA_START.exec(window)) start = m.index + m[0].length;
  if (start < 0) return null;
  const answer = window
    .slice(start)
    .trim()
    .replace(/\.$/, '')
    .trim()
    .replace(/^\$+|\$+$/g, '')
    .replace(/^\\\(|\\\)$/g, '')
    .trim();
  if (answer === '') return null;
  // "The final answer is $\boxed{5}$": the box holds it.
  return lastBox(answer)?.trim() || answer;
}

const PHRASES = /(?:(?:the\s+)?final\s+answer\s*(?:is)?\s*:|(?:the\s+)?final\s+answer\s+is|the\s+answer\s+is|answer\s*:)/gi;

/**
 * "Final Answer: The largest $n$ is 34": a whole sentence after the phrase states the answer
 * after its last verb. Only verbs outside `$…$` count, and only when words come before them.
 */
const STATING_VERB = /\s(?:is|are|equals|was|be)\s/g;

function statedValue(sentence: string): string {
  const outsideMath = sentence.replace(/\$[^$]*\$/g, (m) => ' '.repeat(m.length));
  let cut = -1;
  STATING_VERB.lastIndex = 0;
  for (let m = STATING_VERB.exec(outsideMath); m; m = STATING_VERB.exec(outsideMath)) cut = m.index + m[0].length;
  if (cut < 0 || !/^\s*(?:[A-Za-z]{2,}|\$)/.test(sentence)) return sentence;
  const value = sentence.slice(cut).trim();
  return value === '' ? sentence : value;
}

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
  rest = statedValue(rest.trim());
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
  const name = opts.dataName?.toLowerCase();
  const minerva = minervaStatement(t);
  if (minerva !== null) return { extracted: minerva, method: 'phrase' };
  const box = lastBox(t);
  if (box !== null && box.trim() !== '') return { extracted: box.trim(), method: 'box' };
  if (name !== undefined && HASH_TAIL_DATASETS.has(name)) {
    const tail = /####\s*([^\n]+)/.exec(t);
    if (tail) return { extracted: tail[1]!.trim(), method: 'phrase' };
  }
  const phrase = lastPhrase(t);
  if (phrase !== null) return { extracted: phrase, method: 'phrase' };
  // The reference falls back to the last number for every dataset but the multiple-choice ones.
  if (name === undefined || !CHOICE_DATASETS.has(name)) {
    const n = lastNumber(t);
    if (n !== null) return { extracted: n, method: 'last-number' };
  }
  return { extracted: null, method: 'none' };
}
