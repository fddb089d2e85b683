import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The user's own HS-STaR folder, outside every run folder (a run folder cannot put anything
 * there): `$HSSTAR_CONFIG_DIR`, else `$XDG_CONFIG_HOME/hsstar`, else `%APPDATA%\hsstar`
 * (Windows), else `~/.config/hsstar`. Holds the key approvals and the checkpoint key.
 */
export function configDir(env: NodeJS.ProcessEnv): string {
  return env.HSSTAR_CONFIG_DIR || (env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'hsstar') : env.APPDATA ? join(env.APPDATA, 'hsstar') : join(homedir(), '.config', 'hsstar'));
}
