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
