import { userInfo } from 'node:os';

/** Who signs curator events: the name given (a setting, `--author`), else the OS user. */
export function defaultAuthor(configured: string): string {
  if (configured.trim()) return configured.trim();
  try {
    return userInfo().username || 'curator';
  } catch {
    return 'curator';
  }
}
