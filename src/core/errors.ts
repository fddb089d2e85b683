/**
 * An error the user can act on. `where` names the place: `file:line`, a setting key,
 * or `URL (status)`. Messages never contain secrets.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'UserError';
  }
}

/** Bad command-line usage: the CLI exits with code 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
