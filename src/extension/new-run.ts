import * as vscode from 'vscode';
import { basename, dirname, join, resolve } from 'node:path';
import type { PrmProtocol, Problem } from '../core/schema/index';
import { hashFile, readDataset } from '../store/dataset/index';
import { ProjectStore } from '../store/project';
import { approveRunEndpoints } from '../store/key-approvals';
import { runSettingsFromExtension, type ExtensionSettings } from '../views/extension-settings';

/** Everything New Run asks for; commands pass these as arguments to skip the prompts. */
export interface NewRunInput {
  dataset?: string;
  folder?: string;
  policyUrl?: string;
  policyModel?: string;
  prmProtocol?: PrmProtocol;
  prmUrl?: string;
  prmModel?: string;
  /** Skip every prompt and take the settings' values (tests, scripted use). */
  quiet?: boolean;
}

const PRM_CHOICES: Array<{ label: PrmProtocol; detail: string }> = [
  { label: 'vllm-qwen-prm', detail: 'Qwen2.5-Math-PRM served by vLLM as a reward model' },
  { label: 'vllm-skywork-prm', detail: 'Skywork-o1-Open-PRM served by vLLM (embeddings route)' },
  { label: 'http-json', detail: 'Any server answering {question, steps} with one score per step' },
  { label: 'none', detail: 'No PRM: RDE uses accuracy only' },
];

async function ask(value: string | undefined, quiet: boolean | undefined, options: vscode.InputBoxOptions): Promise<string | undefined> {
  if (value !== undefined || quiet) return value ?? options.value;
  return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
}

/**
 * New Run from Dataset: pick a file, show the detected fields, ask for the endpoints with
 * the settings' values as defaults, and write the project folder. Returns its path.
 */
export async function newRun(input: NewRunInput, config: ExtensionSettings, log: vscode.LogOutputChannel): Promise<string | undefined> {
  let datasetPath = input.dataset;
  if (!datasetPath) {
    const picked = await vscode.window.showOpenDialog({
      title: 'HS-STaR: dataset to curate',
      canSelectMany: false,
      filters: { 'Datasets (JSONL, JSON)': ['jsonl', 'json'], 'All files': ['*'] },
    });
    datasetPath = picked?.[0]?.fsPath;
    if (!datasetPath) return undefined;
  }
  datasetPath = resolve(datasetPath);

  const reader = readDataset(datasetPath, { badLines: 'skip' });
  const problems: Problem[] = [];
  for await (const p of reader) problems.push(p);
  for (const issue of reader.issues) log.warn(issue.message);
  const layout = reader.layout;
  const detected = layout
    ? `${problems.length} problems; question “${layout.questionField}”, answer “${layout.answerField}” (${layout.answerMode})${layout.idField ? `, id “${layout.idField}”` : ', ids from content'}`
    : `${problems.length} problems`;
  log.info(`${datasetPath}: ${detected}; ${reader.errors.length} bad rows skipped`);
  if (!input.quiet) {
    const go = await vscode.window.showInformationMessage(
      `${basename(datasetPath)}: ${detected}.${reader.errors.length ? ` ${reader.errors.length} bad rows will be skipped (see the HS-STaR log).` : ''}`,
      { modal: true },
      'Continue',
    );
    if (go !== 'Continue') return undefined;
  }

  const policyUrl = await ask(input.policyUrl, input.quiet, {
    title: 'Policy endpoint (OpenAI-compatible base URL)',
    value: config.policy.baseURLs[0] ?? 'http://127.0.0.1:8000/v1',
    prompt: 'e.g. http://127.0.0.1:8000/v1 for a local vLLM server',
  });
  if (policyUrl === undefined) return undefined;
  const policyModel = await ask(input.policyModel, input.quiet, { title: 'Policy model name', value: config.policy.model, prompt: 'The model name the server expects' });
  if (policyModel === undefined) return undefined;
  let prmProtocol = input.prmProtocol ?? (input.quiet ? config.prm.protocol : undefined);
  if (!prmProtocol) {
    const pick = await vscode.window.showQuickPick(PRM_CHOICES, { title: 'Process reward model protocol', ignoreFocusOut: true });
    if (!pick) return undefined;
    prmProtocol = pick.label;
  }
  let prmUrl = '';
  let prmModel = '';
  if (prmProtocol !== 'none') {
    const u = await ask(input.prmUrl, input.quiet, { title: 'PRM endpoint base URL', value: config.prm.baseURLs[0] ?? 'http://127.0.0.1:8001/v1' });
    if (u === undefined) return undefined;
    const m = await ask(input.prmModel, input.quiet, { title: 'PRM model name', value: config.prm.model });
    if (m === undefined) return undefined;
    prmUrl = u;
    prmModel = m;
  }

  let folder = input.folder;
  if (!folder && !input.quiet) {
    const picked = await vscode.window.showOpenDialog({
      title: 'HS-STaR: folder for the run (an empty folder)',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(dirname(datasetPath)),
    });
    folder = picked?.[0]?.fsPath;
    if (!folder) return undefined;
  }
  folder = resolve(folder ?? join(dirname(datasetPath), `${basename(datasetPath).replace(/\.[^.]+$/, '')}.hsstar`));

  const merged: ExtensionSettings = {
    ...config,
    policy: { ...config.policy, baseURLs: [policyUrl], model: policyModel },
    prm: { ...config.prm, protocol: prmProtocol, baseURLs: prmUrl ? [prmUrl] : [], model: prmModel },
  };
  const settings = runSettingsFromExtension(merged, {
    path: datasetPath,
    sha256: await hashFile(datasetPath),
    badLines: 'skip',
    ...(layout ? { questionField: layout.questionField, answerField: layout.answerField } : {}),
    ...(layout?.idField ? { idField: layout.idField } : {}),
  });
  const store = await ProjectStore.create(folder, settings, problems);
  await store.close();
  // The user chose these URLs here: approved as the run is created (keys added later need their own approval).
  await approveRunEndpoints(process.env, settings);
  log.info(`created run ${folder} (${problems.length} problems)`);
  return folder;
}
