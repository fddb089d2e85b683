import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Python as an independent reader of what the exports promise: argparse parsing the printed
 * trainer commands with the trainers' own argument tables, and the json module reading the
 * JSON lines with the column types an Arrow-backed `datasets` loader would infer.
 */
export const PYTHON = 'python3';

export async function hasPython(): Promise<boolean> {
  return promisify(execFile)(PYTHON, ['-c', 'import argparse, json, shlex'])
    .then(() => true)
    .catch(() => false);
}

const PARSE = String.raw`
import argparse, json, shlex, sys
spec, command, skip = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
types = {"str": str, "int": int, "float": float}
def boolean(v):
    return {"true": True, "false": False}[v.lower()]
parser = argparse.ArgumentParser(allow_abbrev=False)
for a in spec:
    kw = {}
    if "action" in a:
        kw["action"] = a["action"]
    elif a["type"] == "bool":
        kw.update(type=boolean, nargs="?", const=True)
    else:
        kw["type"] = types[a["type"]]
    for k in ("nargs", "choices"):
        if k in a and "action" not in a:
            kw[k] = a[k]
    parser.add_argument(a["flag"], **kw)
args = parser.parse_args(shlex.split(command.replace("\\\n", " "))[skip:])
print(json.dumps({k: v for k, v in vars(args).items() if v is not None and v is not False}))
`;

/** Parses `command` (after its first `skip` words) with argparse built from `spec`; rejects with argparse's message. */
export async function parseWithArgparse(spec: unknown, command: string, skip: number): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', PARSE, JSON.stringify(spec), command, String(skip)]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

const SCHEMA = String.raw`
import json, sys
def kind(v):
    if v is None: return "null"
    if isinstance(v, bool): return "bool"
    if isinstance(v, (int, float)): return "double"
    if isinstance(v, str): return "string"
    if isinstance(v, list):
        inner = sorted({kind(x) for x in v})
        return "list<" + "|".join(inner) + ">"
    if isinstance(v, dict):
        return "struct<" + ",".join(k + ":" + kind(v[k]) for k in sorted(v)) + ">"
    raise SystemExit("unknown value " + repr(v))
schema, keys = {}, None
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        row = json.loads(line)
        if keys is None: keys = list(row)
        if list(row) != keys: raise SystemExit("line %d: columns %s, expected %s" % (n, list(row), keys))
        for k, v in row.items():
            t = kind(v)
            if t == "null": continue
            if schema.get(k, t) != t: raise SystemExit("line %d: column %s is %s, earlier %s" % (n, k, t, schema[k]))
            schema[k] = t
print(json.dumps({k: schema.get(k, "null") for k in keys or []}))
`;

/** Column name → type as one schema over every line (a column only ever null is `null`); rejects on a mixed column. */
export async function jsonLinesSchema(file: string): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCHEMA, file]);
  return JSON.parse(stdout) as Record<string, string>;
}

const CALLS = String.raw`
import ast, json, sys
tree = ast.parse(sys.argv[1])
def value(node):
    try:
        v = ast.literal_eval(node)
        return {"literal": v, "kind": type(v).__name__}
    except ValueError:
        return {"expr": ast.unparse(node), "kind": "object"}
calls = []
for node in ast.walk(tree):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        calls.append({"name": node.func.id, "line": node.lineno, "args": [value(a) for a in node.args],
                      "keywords": {k.arg: value(k.value) for k in node.keywords}})
calls.sort(key=lambda c: c["line"])
print(json.dumps(calls))
`;

export interface PythonValue {
  literal?: unknown;
  expr?: string;
  /** Python's type name of a literal (str, int, float, bool, dict, list, NoneType), or `object` for any other expression. */
  kind: string;
}
export interface PythonCall {
  name: string;
  line: number;
  args: PythonValue[];
  keywords: Record<string, PythonValue>;
}

/** Every call of a plain name in a Python script, read by Python's own `ast` (a syntax error rejects). */
export async function pythonCalls(script: string): Promise<PythonCall[]> {
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', CALLS, script]);
  return JSON.parse(stdout) as PythonCall[];
}

const PREFERENCE = String.raw`
import json, sys
spec = json.loads(sys.argv[2])
supported, wanted, roles = spec["supportedKeys"], spec["preferenceKeys"], spec["roles"]
def is_messages(v):
    return isinstance(v, list) and len(v) > 0 and isinstance(v[0], dict) and "role" in v[0] and "content" in v[0]
kinds, passthrough = set(), None
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        row = json.loads(line)
        read = sorted(k for k in row if k in supported)
        if read != sorted(wanted):
            raise SystemExit("line %d: TRL reads the columns %s, a preference row is %s" % (n, read, sorted(wanted)))
        kind = {k: "conversational" if is_messages(row[k]) else "standard" if isinstance(row[k], str) else "neither" for k in wanted}
        if len(set(kind.values())) != 1 or "neither" in kind.values():
            raise SystemExit("line %d: prompt/chosen/rejected must be all strings or all message lists: %s" % (n, kind))
        kinds.add(kind["prompt"])
        if kind["prompt"] == "conversational":
            for k in wanted:
                for m in row[k]:
                    if set(m) != {"role", "content"} or m["role"] not in roles or not isinstance(m["content"], str):
                        raise SystemExit("line %d: %s holds a message TRL's chat template cannot take: %r" % (n, k, m))
            if row["prompt"][-1]["role"] != "user":
                raise SystemExit("line %d: the prompt ends with %s, so TRL would continue it instead of adding the generation prompt" % (n, row["prompt"][-1]["role"]))
            for k in ("chosen", "rejected"):
                if [m["role"] for m in row[k]] != ["assistant"]:
                    raise SystemExit("line %d: %s is not one assistant turn" % (n, k))
        elif not row["prompt"]:
            raise SystemExit("line %d: empty prompt" % n)
        rest = [k for k in row if k not in supported]
        if passthrough is not None and rest != passthrough:
            raise SystemExit("line %d: extra columns %s, earlier %s" % (n, rest, passthrough))
        passthrough = rest
if len(kinds) != 1:
    raise SystemExit("rows mix formats: %s" % sorted(kinds))
print(json.dumps({"format": kinds.pop(), "passthrough": passthrough}))
`;

/**
 * Reads a JSON-lines export as TRL's DPO data preparation does (the rules of its data_utils,
 * as listed in test/fixtures/trainers/trl-dpo-args.json): the format TRL will see, and the
 * extra columns it passes through untouched; rejects naming the line that TRL would misread.
 */
export async function trlPreferenceRows(file: string, spec: unknown): Promise<{ format: 'conversational' | 'standard'; passthrough: string[] }> {
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', PREFERENCE, file, JSON.stringify(spec)]);
  return JSON.parse(stdout) as { format: 'conversational' | 'standard'; passthrough: string[] };
}

/** A YAML document as PyYAML's safe_load reads it (TRL's --config reader); rejects when PyYAML is missing or the text is not YAML. */
export async function pythonYaml(text: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.argv[1])))', text]);
  return JSON.parse(stdout);
}

export async function hasPyYaml(): Promise<boolean> {
  return promisify(execFile)(PYTHON, ['-c', 'import yaml'])
    .then(() => true)
    .catch(() => false);
}
