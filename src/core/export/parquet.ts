import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { UserError } from '../errors';

/** The Parquet schema elements hyparquet-writer takes (parquet-format's SchemaElement). */
type SchemaElement = NonNullable<Parameters<typeof parquetWrite>[0]['schema']>[number];

type ColumnKind = 'string' | 'double' | 'messages';

const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' } as const;

function kindOf(value: unknown): ColumnKind | null {
  if (value === null) return null;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'double';
  if (Array.isArray(value)) return 'messages';
  throw new UserError(`cannot be written as Parquet: ${typeof value} column value`);
}

/**
 * Elements for one column. Message lists are the standard three-level LIST of a STRUCT
 * (role, content), which Arrow, and so `datasets`, reads as list<struct<role, content>>.
 */
function elements(name: string, kind: ColumnKind): SchemaElement[] {
  if (kind === 'string') return [{ name, ...STRING }];
  if (kind === 'double') return [{ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }];
  return [
    { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'role', ...STRING },
    { name: 'content', ...STRING },
  ];
}

/**
 * One Parquet file (Snappy-compressed) of an export's records: the columns in the records'
 * key order, strings as UTF8, numbers as DOUBLE (nullable: unscored sides are null), message
 * lists as lists of structs. A column that is null in every row is a nullable DOUBLE (the
 * score columns are the only ones that can be).
 */
export function encodeParquet(records: readonly Record<string, unknown>[]): Uint8Array {
  if (records.length === 0) throw new UserError('no pairs to write; a Parquet file needs at least one row');
  const names = Object.keys(records[0]!);
  const kinds = new Map<string, ColumnKind>();
  for (const r of records) {
    for (const name of names) {
      const kind = kindOf(r[name]);
      if (kind === null) continue;
      const seen = kinds.get(name);
      if (seen && seen !== kind) throw new UserError(`column ${name} mixes ${seen} and ${kind} values; it cannot be written as Parquet`);
      kinds.set(name, kind);
    }
  }
  const schema: SchemaElement[] = [{ name: 'root', num_children: names.length }];
  for (const name of names) schema.push(...elements(name, kinds.get(name) ?? 'double'));
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: names.map((name) => ({ name, data: records.map((r) => r[name] ?? null) })),
    schema,
    createdBy: 'hsstar-curator',
  });
  return new Uint8Array(writer.getBuffer());
}
