/**
 * The benchmark family of a dataset file, judged from its name (`gsm8k.jsonl`,
 * `minerva_math.json`...). The grader uses it (e.g. GSM8K allows last-number answers).
 */
const FAMILIES: [RegExp, string][] = [
  [/gsm8k/i, 'gsm8k'],
  [/math[-_]?500/i, 'math500'],
  [/minerva/i, 'minerva_math'],
  [/olympiad/i, 'olympiadbench'],
  [/aime/i, 'aime24'],
  [/amc/i, 'amc23'],
];

export function dataNameOf(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  for (const [re, name] of FAMILIES) if (re.test(base)) return name;
  return undefined;
}
