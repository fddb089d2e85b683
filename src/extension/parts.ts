// Everything the extension loads on first use rather than at activation: the store, the
// derivation, the schemas, the pipeline and its HTTP clients, the inspector, the commands.
// Bundled on its own (dist/extension-parts.js) so activation only parses the small part.
import type * as vscode from 'vscode';
import { parseExtensionSettings, type ExtensionSettings } from '../views/extension-settings';
import { settingReader } from './config';

export { ProjectStore } from '../store/project';
export { relabel, activeEvents } from '../core/state/derive';
export { stateOf, restateOf } from '../pipeline/derive-from-store';
export { eventForIntent, describeEvent, lastUndoable } from '../views/curator-intents';
export { Inspector } from './inspector';
export { Runner } from './runs';
export { COMMANDS } from './commands';
export { failWith } from './ctx';
export { closeSharedGradePool } from '../pipeline/grading/grade-pool';
export { closeSharedSamplingThread } from '../endpoints/sampling-thread/sampling-thread';

export function readConfig(log?: vscode.LogOutputChannel): ExtensionSettings {
  const { settings, problems } = parseExtensionSettings(settingReader());
  for (const p of problems) log?.warn(p);
  return settings;
}
