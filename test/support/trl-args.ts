import { readFileSync } from 'node:fs';
import { parseWithArgparse, pythonCalls, pythonYaml, type PythonCall, type PythonValue } from './python-check';

/**
 * Checks a printed TRL script against TRL's own argument tables
 * (test/fixtures/trainers/trl-dpo-args.json): Python's `ast` reads the script, and every
 * keyword of `load_dataset`, `DPOConfig` and `DPOTrainer` must be a field or parameter TRL
 * has today, with a value of its type. A field TRL deprecated (removed in the next release)
 * counts as wrong, so a script that still sets it fails too.
 */
interface Field {
  name: string;
  type: string;
  choices?: string[];
}
export const TRL_ARGS = JSON.parse(readFileSync('test/fixtures/trainers/trl-dpo-args.json', 'utf8')) as {
  dpoConfig: { inherited: Field[]; fields: Field[]; deprecated: { note: string; names: string[] } };
  dpoTrainer: Field[];
  loadDataset: { builders: string[]; keywords: Field[] };
  preference: { supportedKeys: string[]; preferenceKeys: string[]; roles: string[] };
  cli: { flags: { flag: string; type: string; choices?: string[] }[]; datasetMixture: string[]; datasetConfig: string[] };
};

/** Python type names that a field of each table type accepts (an int is a valid float). */
const ACCEPTS: Record<string, string[]> = {
  str: ['str'], int: ['int'], float: ['float', 'int'], bool: ['bool'], dict: ['dict'], list: ['list'], object: ['object', 'str', 'dict', 'list'],
};

function checkKeywords(call: PythonCall, fields: Field[], problems: string[], deprecated: string[] = []): void {
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [name, v] of Object.entries(call.keywords)) {
    const at = `line ${call.line}: ${call.name}(${name}=…)`;
    if (deprecated.includes(name)) {
      problems.push(`${at}: ${TRL_ARGS.dpoConfig.deprecated.note}`);
      continue;
    }
    const field = byName.get(name);
    if (!field) {
      problems.push(`${at}: ${call.name} has no field ${name}`);
      continue;
    }
    if (!(ACCEPTS[field.type] ?? []).includes(v.kind)) problems.push(`${at}: is ${v.kind}, ${field.type} expected`);
    else if (field.choices && !field.choices.includes(v.literal as string)) problems.push(`${at}: ${JSON.stringify(v.literal)} is not one of ${field.choices.join(', ')}`);
  }
}

export interface TrlScript {
  builder: string;
  dataFiles: Record<string, string>;
  config: Record<string, unknown>;
  trainer: Record<string, PythonValue>;
}

/** The script's dataset files, DPOConfig values and DPOTrainer arguments; rejects naming every wrong field. */
export async function checkTrlScript(script: string): Promise<TrlScript> {
  const calls = await pythonCalls(script);
  const problems: string[] = [];
  const one = (name: string) => {
    const found = calls.filter((c) => c.name === name);
    if (found.length !== 1) problems.push(`${name} is called ${found.length} times, once expected`);
    return found[0];
  };
  const load = one('load_dataset');
  const config = one('DPOConfig');
  const trainer = one('DPOTrainer');
  if (load) {
    const builder = load.args[0]?.literal;
    if (!TRL_ARGS.loadDataset.builders.includes(builder as string)) problems.push(`line ${load.line}: load_dataset(${JSON.stringify(builder)}) is not a file builder`);
    checkKeywords(load, TRL_ARGS.loadDataset.keywords, problems);
  }
  if (config) checkKeywords(config, [...TRL_ARGS.dpoConfig.inherited, ...TRL_ARGS.dpoConfig.fields], problems, TRL_ARGS.dpoConfig.deprecated.names);
  if (trainer) {
    if (trainer.args.length > 0) problems.push(`line ${trainer.line}: DPOTrainer takes its arguments by name here`);
    checkKeywords(trainer, TRL_ARGS.dpoTrainer, problems);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return {
    builder: load!.args[0]!.literal as string,
    dataFiles: load!.keywords.data_files!.literal as Record<string, string>,
    config: Object.fromEntries(Object.entries(config!.keywords).map(([k, v]) => [k, v.literal])),
    trainer: trainer!.keywords,
  };
}

/** The Python script inside a printed `python - <<'PY' … PY` command. */
export function heredocScript(command: string): string {
  const m = /^python - <<'PY'\n([\s\S]*)\nPY$/.exec(command);
  if (!m) throw new Error(`not a python heredoc: ${command.slice(0, 60)}`);
  return m[1]!;
}

/** `trl dpo`'s parser: its script's own flags and every current DPOConfig field as `--NAME` (lists take several values; dicts are YAML-only). */
export function trlCliSpec(): { flag: string; type: string; nargs?: string; choices?: string[] }[] {
  const config = [...TRL_ARGS.dpoConfig.inherited, ...TRL_ARGS.dpoConfig.fields]
    .filter((f) => f.type !== 'dict')
    .map((f) => ({ flag: `--${f.name}`, type: f.type === 'list' ? 'str' : f.type, ...(f.type === 'list' ? { nargs: '+' } : {}), ...(f.choices ? { choices: f.choices } : {}) }));
  return [...TRL_ARGS.cli.flags, ...config];
}

/**
 * A printed `trl dpo` command: the YAML it writes (keys of DatasetMixtureConfig and
 * DatasetConfig only) and the flags, parsed by argparse from `trlCliSpec`; rejects naming
 * the wrong key or argparse's message.
 */
export async function checkTrlCli(command: string): Promise<{ yaml: Record<string, unknown>; flags: Record<string, unknown> }> {
  const m = /^cat > (\S+) <<'YAML'\n([\s\S]*?)\nYAML\n(trl dpo [\s\S]*)$/.exec(command);
  if (!m) throw new Error(`not a YAML heredoc and a trl dpo command: ${command.slice(0, 60)}`);
  const yaml = (await pythonYaml(m[2]!)) as Record<string, unknown>;
  const problems = Object.keys(yaml).filter((k) => !TRL_ARGS.cli.datasetMixture.includes(k)).map((k) => `${m[1]}: DatasetMixtureConfig has no field ${k}`);
  for (const entry of (yaml.datasets ?? []) as Record<string, unknown>[]) {
    for (const k of Object.keys(entry)) if (!TRL_ARGS.cli.datasetConfig.includes(k)) problems.push(`${m[1]}: DatasetConfig has no field ${k}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const flags = await parseWithArgparse(trlCliSpec(), m[3]!, 2);
  if (flags.config !== m[1]) throw new Error(`--config ${String(flags.config)} is not the file written (${m[1]})`);
  return { yaml, flags };
}
