import { createHash } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors';
import { renderExport, type ExportFormat } from '../core/export/formats';
import { buildManifest, canonicalJson, type ExportManifest } from '../core/export/manifest';
import { pairRows } from '../core/export/rows';
import type { RunSettings } from '../core/schema/index';
import type { RunState } from '../core/state/run-state';

export interface ExportOptions {
  format: ExportFormat;
  /** The JSON-lines file to write. */
  out: string;
  /** Replace existing files; without it an existing file stops the export. */
  force?: boolean;
  now?: () => string;
}

export interface ExportResult {
  file: string;
  manifestFile: string;
  companions: string[];
  manifest: ExportManifest;
}

/** sha256 of the canonical settings JSON: two runs with equal settings share it. */
export function settingsHash(settings: RunSettings): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex');
}

/** `pairs.jsonl` → `pairs.manifest.json`, beside it. */
export function manifestPathOf(out: string): string {
  const base = basename(out).replace(/\.jsonl?$/i, '');
  return join(dirname(out), `${base}.manifest.json`);
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes the pairs in the chosen format, its companion files and a manifest. */
export async function exportPairs(state: RunState, o: ExportOptions): Promise<ExportResult> {
  const rows = pairRows(state);
  const rendered = renderExport(o.format, rows, basename(o.out));
  const manifestFile = manifestPathOf(o.out);
  const companions = rendered.companions.map((c) => ({ path: join(dirname(o.out), c.name), content: c.content }));
  const targets = [o.out, manifestFile, ...companions.map((c) => c.path)];
  if (!o.force) {
    for (const t of targets) if (await exists(t)) throw new UserError('already exists; pass --force to replace it', t);
  }
  const manifest = buildManifest(state, {
    format: o.format,
    file: basename(o.out),
    pairs: rows.length,
    createdAt: o.now ? o.now() : new Date().toISOString(),
    settingsHash: settingsHash(state.settings),
    usage: rendered.usage,
  });
  await mkdir(dirname(o.out), { recursive: true });
  await writeFile(o.out, rendered.content);
  for (const c of companions) await writeFile(c.path, c.content);
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return { file: o.out, manifestFile, companions: companions.map((c) => c.path), manifest };
}
