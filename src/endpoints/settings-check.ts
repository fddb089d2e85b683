import type { z } from 'zod';
import { UserError } from '../core/errors';

/**
 * Parse one endpoint's settings, turning the first zod issue into a UserError that names
 * the setting key (`prm.protocol`, `policy.baseURLs[1]`, …).
 */
export function parseSettings<S extends z.ZodType>(schema: S, raw: unknown, prefix: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`),
    prefix,
  );
  let message = issue.message;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `unknown value; expected one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  throw new UserError(message, key);
}

/** A protocol other than `none` needs at least one URL and a model name. */
export function requireEndpoint(baseURLs: readonly string[], model: string, prefix: string, needsModel = true): void {
  if (baseURLs.length === 0) throw new UserError('at least one URL is required for this protocol', `${prefix}.baseURLs`);
  if (needsModel && !model.trim()) throw new UserError('a model name is required for this protocol', `${prefix}.model`);
}
