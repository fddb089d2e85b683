import type { ExtractionMethod } from '../schema/grade';
import { deadlinePassed } from './deadline';

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
  /** Present when the time bound passed before an answer was found: nothing was extracted. */
  timedOut?: true;
}

export interface ExtractOptions {
  dataName?: string;
  /** `performance.now()` past which extraction stops between its stages (see deadline.ts). */
  deadline?: number;
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
  // Each name is searched backwards from the box tried before it, so the searches together
  // read the text once.
  let boxed = text.lastIndexOf('\\boxed');
  let fbox = text.lastIndexOf('\\fbox');
  for (let tried = 0; tried < MAX_BOXES_TRIED && (boxed >= 0 || fbox >= 0); tried++) {
    const at = Math.max(boxed, fbox);
    const nameEnd = at + (at === boxed ? 6 : 5);
    let i = nameEnd;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] === '{') {
      const group = braceGroup(text, i);
      // An unclosed last box (a truncated response) still holds the answer written so far.
      const content = group ? group.content : text.slice(i + 1);
      if (content.trim() !== '') return content;
    } else if (i > nameEnd && i < text.length) {
      const v = text.slice(i, lineOrDollar(text, i)).trim();
      if (v) return v;
    }
    // `\boxedfoo` or an empty box: look further back, a bounded number of times.
    if (at === boxed) boxed = at === 0 ? -1 : text.lastIndexOf('\\boxed', at - 1);
    else fbox = at === 0 ? -1 : text.lastIndexOf('\\fbox', at - 1);
  }
  return null;
}

/** Index of the first `$` or newline at or after `from`, or the text's length. */
function lineOrDollar(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 36 /* $ */ || c === 10 /* \n */) return i;
  }
  return text.length;
}

/** `s` without any run of `ch` at its start and its end (a hand scan: `/\$+$/` backtracks on every `$`). */
function trimRuns(s: string, ch: string): string {
  let start = 0;
  let end = s.length;
  const code = ch.charCodeAt(0);
  while (start < end && s.charCodeAt(start) === code) start++;
  while (end > start && s.charCodeAt(end - 1) === code) end--;
  return s.slice(start, end);
}

/** `s` without one leading `open` and one trailing `close`, each removed where present. */
function trimDelimiters(s: string, open: string, close: string): string {
  const from = s.startsWith(open) ? open.length : 0;
  const to = s.length - (s.endsWith(close) && s.length - close.length >= from ? close.length : 0);
  return s.slice(from, to);
}

/**
 * End of the last match of a global `pattern` in `text`, and where the forward search that
 * found it began (so the match itself can be read again from there). `test` moves
 * `lastIndex` without building a match object for each of thousands of repeats.
 */
function lastMatchEnd(pattern: RegExp, text: string): { from: number; end: number } | null {
  let from = -1;
  let end = -1;
  pattern.lastIndex = 0;
  for (let next = 0; pattern.test(text); next = pattern.lastIndex) {
    from = next;
    end = pattern.lastIndex;
  }
  return end < 0 ? null : { from, end };
}

/** The last match of a global `pattern` in `text`, found without a match object per repeat. */
function lastMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  const found = lastMatchEnd(pattern, text);
  if (!found) return null;
  pattern.lastIndex = found.from;
  return pattern.exec(text);
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
  const hope = lastMatch(MINERVA_END, text);
  if (!hope) return null;
  const end = hope.index;
  const window = text.slice(Math.max(0, end - MINERVA_SPAN), end);
  const start = lastMatchEnd(MINERVA_START, window)?.end;
  if (start === undefined) return null;
  let answer = window.slice(start).trim();
  if (answer.endsWith('.')) answer = answer.slice(0, -1);
  answer = trimDelimiters(trimRuns(answer.trim(), '$'), '\\(', '\\)').trim();
  if (answer === '') return null;
  // "The final answer is $\boxed{5}$": the box holds it.
  return lastBox(answer)?.trim() || answer;
}

/**
 * "the answer is", "final answer is", "final answer:". Every `\s*`/`\s+` is followed by a
 * word or `:` that whitespace cannot match, so no run of spaces is read two ways: a phrase
 * followed by 100,000 spaces costs one pass over them, not one per split.
 */
const PHRASES = /(?:(?:the\s+)?final\s+answer\s*(?:is\s*)?:|(?:the\s+)?final\s+answer\s+is|the\s+answer\s+is|answer\s*:)/gi;

/** JavaScript's `\s`: what the regular expressions here read as whitespace. */
function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** The verb that states a value starting with this character code: each starts with a different letter. */
function statingVerb(c: number): string | undefined {
  switch (c) {
    case 105 /* i */:
      return 'is';
    case 97 /* a */:
      return 'are';
    case 101 /* e */:
      return 'equals';
    case 119 /* w */:
      return 'was';
    case 98 /* b */:
      return 'be';
    default:
      return undefined;
  }
}

/**
 * End of the last stating verb outside `$…$`, or -1: what searching `/\s(?:is|are|equals|was|be)\s/g`
 * over `s` with every `$…$` pair (paired as `/\$[^$]*\$/g` pairs them) turned into spaces finds,
 * read in one pass without building that string.
 */
function lastStatingVerbEnd(s: string): number {
  let dollars = 0;
  for (let i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i + 1)) dollars++;
  // With an odd count the last `$` has no partner: it and what follows stay as written.
  const unpaired = dollars % 2 === 1 ? s.lastIndexOf('$') : -1;
  /** A `$` that opens or closes a pair: it reads as a space and flips whether a pair is open. */
  const pairDollar = (i: number) => s.charCodeAt(i) === 36 /* $ */ && i !== unpaired;
  let cut = -1;
  let open = false; // a pair is open before position i
  for (let i = 0; i < s.length; i++) {
    const flips = pairDollar(i);
    const space = open || flips || isSpace(s.charCodeAt(i));
    if (flips) open = !open;
    if (!space || open) continue;
    const verb = statingVerb(s.charCodeAt(i + 1));
    if (verb === undefined || !s.startsWith(verb, i + 1)) continue;
    const end = i + 1 + verb.length;
    // The letters of the verb hold no `$`, so the pair state at `end` is still `open` (false).
    if (end < s.length && (pairDollar(end) || isSpace(s.charCodeAt(end)))) {
      cut = end + 1;
      if (pairDollar(end)) open = true;
      i = end;
    }
  }
  return cut;
}

/**
 * "Final Answer: The largest $n$ is 34": a whole sentence after the phrase states the answer
 * after its last verb. Only verbs outside `$…$` count, and only when words come before them.
 */
function statedValue(sentence: string): string {
  const cut = lastStatingVerbEnd(sentence);
  if (cut < 0 || !/^\s*(?:[A-Za-z]{2,}|\$)/.test(sentence)) return sentence;
  const value = sentence.slice(cut).trim();
  return value === '' ? sentence : value;
}

/** Text after the last "the answer is" / "final answer:" up to the end of its sentence. */
function lastPhrase(text: string): string | null {
  const phrase = lastMatchEnd(PHRASES, text);
  if (!phrase) return null;
  let rest = text.slice(phrase.end);
  const line = rest.search(/\n\s*\n/);
  if (line >= 0) rest = rest.slice(0, line);
  rest = rest.replace(/^[\s:]+/, '');
  // A sentence ends at ". " followed by a capital or at the line end; decimals keep their dot.
  const stop = rest.search(/\.\s+(?=[A-Z])|\.\s*$|\n/);
  if (stop >= 0) rest = rest.slice(0, stop);
  rest = trimRuns(statedValue(rest.trim()), '$');
  rest = trimDelimiters(trimDelimiters(rest, '\\(', '\\)'), '\\[', '\\]').trim();
  return rest || null;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The last number of the text, commas dropped: the last match of `-?\d[\d,]*(?:\.\d+)?|-?\.\d+`
 * in a left-to-right search, read by hand so a run of 100,000 numbers allocates nothing.
 */
function lastNumber(text: string): string | null {
  let lastStart = -1;
  let lastEnd = -1;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const start = i;
    let j = text.charCodeAt(i) === 45 /* - */ ? i + 1 : i;
    const dotFirst = text.charCodeAt(j) === 46 /* . */;
    if (isDigit(text.charCodeAt(j))) {
      j++;
      while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 44) /* , */) j++;
      if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) for (j += 2; j < n && isDigit(text.charCodeAt(j)); ) j++;
    } else if (dotFirst && isDigit(text.charCodeAt(j + 1))) {
      for (j += 2; j < n && isDigit(text.charCodeAt(j)); ) j++;
    } else {
      i++;
      continue;
    }
    lastStart = start;
    lastEnd = j;
    i = j;
  }
  return lastStart < 0 ? null : text.slice(lastStart, lastEnd).replace(/,/g, '');
}

/**
 * Finds the final answer of a response, and says how it was found. Every stage reads the
 * text in time linear in its length; past `opts.deadline` (checked between stages) the
 * search stops with nothing extracted and `timedOut` set.
 */
export function extractAnswer(text: string, opts: ExtractOptions = {}): Extraction {
  if (typeof text !== 'string' || text.length === 0) return { extracted: null, method: 'none' };
  const t = text.length > MAX_SCAN ? text.slice(text.length - MAX_SCAN) : text;
  const name = opts.dataName?.toLowerCase();
  const late = () => deadlinePassed(opts.deadline);
  const minerva = minervaStatement(t);
  if (minerva !== null) return { extracted: minerva, method: 'phrase' };
  if (late()) return timedOut();
  const box = lastBox(t);
  if (box !== null && box.trim() !== '') return { extracted: box.trim(), method: 'box' };
  if (late()) return timedOut();
  if (name !== undefined && HASH_TAIL_DATASETS.has(name)) {
    const tail = /####\s*([^\n]+)/.exec(t);
    if (tail) return { extracted: tail[1]!.trim(), method: 'phrase' };
  }
  const phrase = lastPhrase(t);
  if (phrase !== null) return { extracted: phrase, method: 'phrase' };
  if (late()) return timedOut();
  // The reference falls back to the last number for every dataset but the multiple-choice ones.
  if (name === undefined || !CHOICE_DATASETS.has(name)) {
    const n = lastNumber(t);
    if (n !== null) return { extracted: n, method: 'last-number' };
  }
  return { extracted: null, method: 'none' };
}

const timedOut = (): Extraction => ({ extracted: null, method: 'none', timedOut: true });
