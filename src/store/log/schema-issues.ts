/** A zod error's first issues, as `path: message; …`, for messages naming a file and line. */
export function schemaIssues(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || 'record'}: ${i.message}`)
    .join('; ');
}
