import * as vscode from 'vscode';
import type { RunSettings } from '../core/schema/index';
import { createClients } from '../pipeline/clients';
import { demoEndpoints } from '../pipeline/demo/demo-endpoints';
import type { PipelineEvent } from '../pipeline/pipeline-events';
import type { StageContext } from '../pipeline/stage-context';
import { ApiKeys, KEY_TARGETS, envNameFor } from './secrets';
import type { Session } from './session';
import type { StatusItem } from './status';
import { checkRunsAllowed } from './trust';
import { describeDestination, endpointDestinations, unapprovedDestinations, type EndpointDestination } from '../core/key-destinations';
import { approveEndpoints, readKeyApprovals } from '../store/key-approvals';

export type RunOutcome = { status: 'completed' | 'cancelled' | 'paused' | 'failed'; message: string };

/**
 * Long work (buying responses, scoring) under a cancellable progress notification, with
 * the status-bar item and the log kept up to date. One run at a time.
 */
export class Runner {
  private active: AbortController | null = null;

  constructor(
    private readonly session: Session,
    private readonly keys: ApiKeys,
    private readonly status: StatusItem,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get busy(): boolean {
    return this.active !== null;
  }

  /** Cancels the running work, if any (the progress notification's Cancel does the same). */
  cancel(): void {
    this.active?.abort();
  }

  /**
   * Runs `work` with a stage context for the open run. Keys come from SecretStorage (or the
   * settings' environment variable names) and stay in memory.
   */
  async run(title: string, work: (ctx: StageContext) => Promise<{ status: RunOutcome['status']; failed?: number }>): Promise<RunOutcome> {
    if (!checkRunsAllowed(this.log)) return { status: 'failed', message: 'Runs are disabled in an untrusted workspace.' };
    const project = this.session.project;
    if (!project) return this.fail('Open a run first (HS-STaR: Open Run).');
    if (!project.writable) return this.fail('This run is open read-only: another process holds its lock.');
    if (this.active) return this.fail('Another HS-STaR run is in progress; cancel it or wait.');
    const controller = new AbortController();
    this.active = controller;
    let secrets: string[] = [];
    // No key reaches the log or a notification, whatever the error says.
    const redact = (s: string) => secrets.reduce((acc, k) => (k ? acc.split(k).join('***') : acc), s);
    let demo: Awaited<ReturnType<typeof demoEndpoints>> = null;
    try {
      const { settings, env } = await this.withKeys(project.settings);
      const unapproved = unapprovedDestinations(endpointDestinations(settings), readKeyApprovals(env));
      if (unapproved.length > 0) return this.refuseUnapproved(unapproved);
      demo = await demoEndpoints(settings, env);
      const clients = createClients(demo?.settings ?? settings, env);
      secrets = clients.secrets;
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `HS-STaR: ${title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let lastRefresh = 0;
          const onEvent = (e: PipelineEvent) => {
            const line = describe(e);
            if (!line) return;
            if (e.kind === 'log') this.log.info(redact(line));
            else {
              this.status.setActivity(line);
              progress.report({ message: line });
              if (e.kind !== 'progress') this.log.info(line);
            }
            // Keep the tree and inspector current during long stages, without re-deriving per reply.
            const now = Date.now();
            if (e.kind === 'task-end' || now - lastRefresh > 2_000) {
              lastRefresh = now;
              this.session.refresh();
            }
          };
          const result = await work({ store: project, clients, signal: controller.signal, onEvent });
          this.session.refresh();
          // The run stays open; its checkpoint is written now, so the next open reads only what follows.
          await project.checkpoint();
          const failed = result.failed ? `; ${result.failed} requests failed (run again to retry them)` : '';
          const message = `${title}: ${result.status}${failed}`;
          this.log.info(message);
          if (result.status === 'completed' && !failed) void vscode.window.showInformationMessage(message);
          else void vscode.window.showWarningMessage(message);
          return { status: result.status, message };
        },
      );
    } catch (err) {
      const message = `${title} failed: ${String((err as Error).message ?? err)}`;
      return this.fail(redact(message));
    } finally {
      await demo?.close();
      this.active = null;
      this.status.setActivity(null);
    }
  }

  /**
   * Where the open run would send requests without this user's approval (the run folder's
   * settings can name any URL; keys include those in SecretStorage).
   */
  async unapprovedKeys(): Promise<EndpointDestination[]> {
    const project = this.session.project;
    if (!project) return [];
    const { settings, env } = await this.withKeys(project.settings);
    return unapprovedDestinations(endpointDestinations(settings), readKeyApprovals(env));
  }

  /** Records approvals in the user's config (the same file `hsstar trust` writes). */
  async approveKeys(destinations: readonly EndpointDestination[]): Promise<string> {
    const file = await approveEndpoints(process.env, destinations);
    this.log.info(`approved ${destinations.map(describeDestination).join('; ')} in ${file}`);
    return file;
  }

  private refuseUnapproved(unapproved: readonly EndpointDestination[]): RunOutcome {
    const message = `Not run: this run would send requests (its problems, and the key where one is named) to endpoints you have not approved on this machine: ${unapproved.map(describeDestination).join('; ')}. A run folder can name any URL; check them, then approve (HS-STaR: Approve Run Endpoints, or hsstar trust DIR --yes).`;
    this.log.error(message);
    void vscode.window.showErrorMessage(message, 'Review and Approve…').then((pick) => {
      if (pick) void vscode.commands.executeCommand('hsstar.trustEndpoints');
    });
    return { status: 'failed', message };
  }

  private fail(message: string): RunOutcome {
    this.log.error(message);
    void vscode.window.showErrorMessage(message);
    return { status: 'failed', message };
  }

  /** Adds stored keys as in-memory variables for endpoints whose settings name none. */
  private async withKeys(base: RunSettings): Promise<{ settings: RunSettings; env: NodeJS.ProcessEnv }> {
    const settings: RunSettings = structuredClone(base);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const target of KEY_TARGETS) {
      const part = settings[target];
      if (part.apiKeyEnv) continue;
      const key = await this.keys.get(target);
      if (!key) continue;
      part.apiKeyEnv = envNameFor(target);
      env[envNameFor(target)] = key;
    }
    return { settings, env };
  }
}

function describe(e: PipelineEvent): string | null {
  switch (e.kind) {
    case 'log':
      return e.line;
    case 'task-start':
      return `${e.stage} ${e.task}: 0/${e.total}`;
    case 'progress':
    case 'task-end': {
      const failed = e.progress.failed ? `, ${e.progress.failed} failed` : '';
      const end = e.kind === 'task-end' ? ` (${e.status})` : '';
      return `${e.stage} ${e.task}: ${e.progress.done}/${e.total}${failed}${end}`;
    }
  }
}
