import type { PairRow } from './rows';
import { trlStandardRecord } from './trl';
import { trlConversationalRecord } from './trl-conversational';
import { openRlhfRecord } from './openrlhf';
import { llamaFactoryRecord } from './llama-factory';
import type { PromptRenderer } from './chat-template';
import { traceColumns } from './trace-columns';
import { llamaFactoryCommands, openRlhfCommands, trlCommands, type CommandContext, type TrainerCommand } from './trainer-commands';

export const EXPORT_FORMATS = ['trl', 'trl-conversational', 'openrlhf', 'llama-factory'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** What a format needs to know about the run to give the trainer the prompt the policy saw. */
export interface RenderContext {
  api: 'chat' | 'completions';
  /** The model's chat template, when the user named a tokenizer_config.json. */
  renderPrompt: PromptRenderer | null;
  /** The run has a reward model: its scores ride along as extra columns. */
  withReward: boolean;
}

export interface FormatCommandContext extends CommandContext {
  /** LLaMA-Factory's dataset names and folder. */
  dataset: string;
  evalDataset: string | null;
  datasetDir: string;
  template: string | null;
}

/** One export format: adding a format is one entry here (and its record file). */
export interface FormatSpec {
  /** One line for pickers and help. */
  detail: string;
  /** Why this format would train on a prompt the policy never saw in this run, or null when it is exact. */
  refusal(ctx: RenderContext): string | null;
  record(row: PairRow, ctx: RenderContext): Record<string, unknown>;
  commands(c: FormatCommandContext): TrainerCommand[];
  /** Registers the file in LLaMA-Factory's dataset_info.json. */
  datasetInfo?: true;
}

const CHAT_STRING_REFUSAL =
  "this run sampled a chat model: its prompt went through the model's chat template with the system prompt, and TRL applies a chat template only to conversational rows, " +
  'so a plain-string prompt would not be the prompt the policy saw. Use --format trl-conversational, or pass --tokenizer-config FILE ' +
  "(the policy model's tokenizer_config.json) to render the prompt exactly";

const COMPLETIONS_CHAT_REFUSAL =
  'this run sampled the completions API on the raw prompt; a conversational export makes the trainer apply a chat template the policy never saw. ' +
  'Use --format trl (or openrlhf, which reads the raw prompt for completions runs)';

export const FORMATS: Record<ExportFormat, FormatSpec> = {
  trl: {
    detail: 'TRL DPOTrainer, standard: prompt / chosen / rejected strings (the prompt as the server rendered it)',
    refusal: (ctx) =>
      ctx.api === 'chat' && !ctx.renderPrompt
        ? CHAT_STRING_REFUSAL
        : ctx.api === 'completions' && ctx.renderPrompt
          ? '--tokenizer-config is for chat runs; this run sent the raw prompt, which the trl format exports as is'
          : null,
    record: (row, ctx) => ({ ...trlStandardRecord(row, ctx.renderPrompt), ...traceColumns(row, ctx.withReward) }),
    commands: trlCommands,
  },
  'trl-conversational': {
    detail: 'TRL DPOTrainer, conversational: message lists the trainer renders with the chat template',
    refusal: (ctx) => (ctx.api === 'completions' ? COMPLETIONS_CHAT_REFUSAL : null),
    record: (row, ctx) => ({ ...trlConversationalRecord(row), ...traceColumns(row, ctx.withReward) }),
    commands: trlCommands,
  },
  openrlhf: {
    detail: 'OpenRLHF train_dpo: messages with the chat template (chat runs) or raw strings (completions runs)',
    refusal: () => null,
    record: (row, ctx) => ({ ...openRlhfRecord(row, ctx.api), ...traceColumns(row, ctx.withReward) }),
    commands: openRlhfCommands,
  },
  'llama-factory': {
    detail: 'LLaMA-Factory ranking rows (alpaca), registered in dataset_info.json',
    refusal: () => null,
    record: (row, ctx) => ({ ...llamaFactoryRecord(row), ...traceColumns(row, ctx.withReward) }),
    commands: llamaFactoryCommands,
    datasetInfo: true,
  },
};

/** One record per pair, in the format's layout. Call `FORMATS[format].refusal` first. */
export function renderRecords(format: ExportFormat, rows: readonly PairRow[], ctx: RenderContext): Record<string, unknown>[] {
  const spec = FORMATS[format];
  return rows.map((r) => spec.record(r, ctx));
}

/** JSON Lines, one pair a line, newline-terminated. */
export function renderRows(format: ExportFormat, rows: readonly PairRow[], ctx: RenderContext): string {
  return renderRecords(format, rows, ctx)
    .map((r) => JSON.stringify(r) + '\n')
    .join('');
}
