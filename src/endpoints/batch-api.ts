import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import OpenAI from 'openai';
import { z } from 'zod';
import { DEFAULT_TIMEOUT_MS } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { fromSdkError } from './openai-errors';

import { BatchState } from './batch-states';

const BatchReply = z.looseObject({
  id: z.string().min(1),
  status: BatchState,
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  request_counts: z.looseObject({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
  errors: z.looseObject({ data: z.array(z.looseObject({ message: z.string().nullish(), line: z.number().nullish() })).nullish() }).nullish(),
});

export interface BatchStatus {
  id: string;
  status: BatchState;
  outputFileId: string | null;
  errorFileId: string | null;
  counts: { total: number; completed: number; failed: number };
  /** Why a batch failed validation, when the server says. */
  problems: string[];
}

/** A downloaded result file larger than this is refused (the input limit of the OpenAI Batch API is 200 MB). */
export const MAX_BATCH_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * The files and batches routes of an OpenAI-compatible server, through the openai SDK:
 * upload a Batch input file, create the batch, poll it, download its output and error files.
 */
export class BatchApi {
  private readonly client: OpenAI;
  readonly url: string;

  constructor(private readonly opts: { baseURL: string; apiKey?: string; timeoutMs?: number }) {
    this.url = opts.baseURL.replace(/\/+$/, '');
    this.client = new OpenAI({
      baseURL: this.url,
      apiKey: opts.apiKey ?? 'none',
      organization: null,
      project: null,
      maxRetries: 2,
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      logLevel: 'off',
    });
  }

  private fail(err: unknown, route: string, signal?: AbortSignal): EndpointError {
    return fromSdkError(err, `${this.url}${route}`, this.opts.apiKey, signal);
  }

  async upload(path: string, signal?: AbortSignal): Promise<string> {
    try {
      const file = await this.client.files.create({ file: createReadStream(path), purpose: 'batch' }, { signal });
      return file.id;
    } catch (err) {
      const e = this.fail(err, '/files', signal);
      // vLLM's server has no /v1/files or /v1/batches: FastAPI answers 404 (405 on some proxies).
      if (e.kind === 'http' && (e.status === 404 || e.status === 405)) {
        throw new EndpointError(
          'http',
          e.url,
          e.status,
          'this server has no Batch API (/v1/files, /v1/batches); a vLLM server does not serve them. ' +
            'Run the file on the cluster with `vllm run-batch -i FILE -o OUTPUT --model MODEL`, then `hsstar batch import DIR OUTPUT`',
        );
      }
      throw e;
    }
  }

  async create(inputFileId: string, endpoint: '/v1/chat/completions' | '/v1/completions', signal?: AbortSignal): Promise<BatchStatus> {
    try {
      return this.read(await this.client.batches.create({ input_file_id: inputFileId, endpoint, completion_window: '24h' }, { signal }));
    } catch (err) {
      throw this.fail(err, '/batches', signal);
    }
  }

  async status(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
    try {
      return this.read(await this.client.batches.retrieve(batchId, { signal }));
    } catch (err) {
      throw this.fail(err, `/batches/${batchId}`, signal);
    }
  }

  /** Streams a file's content to `dest`, stopping at MAX_BATCH_FILE_BYTES. */
  async download(fileId: string, dest: string, signal?: AbortSignal): Promise<number> {
    const route = `/files/${fileId}/content`;
    let body: ReadableStream<Uint8Array> | null;
    try {
      body = (await this.client.files.content(fileId, { signal })).body;
    } catch (err) {
      throw this.fail(err, route, signal);
    }
    const fh = await open(dest, 'w');
    let bytes = 0;
    try {
      if (body) {
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          if (bytes > MAX_BATCH_FILE_BYTES) throw new EndpointError('malformed', `${this.url}${route}`, 200, `file larger than ${MAX_BATCH_FILE_BYTES} bytes; stopped reading`);
          await fh.write(chunk);
        }
      }
      await fh.sync();
    } catch (err) {
      throw err instanceof EndpointError ? err : this.fail(err, route, signal);
    } finally {
      await fh.close();
    }
    return bytes;
  }

  private read(raw: unknown): BatchStatus {
    const r = BatchReply.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new EndpointError('malformed', `${this.url}/batches`, 200, `unexpected reply shape at ${issue?.path.join('.') || '(root)'}`);
    }
    const b = r.data;
    return {
      id: b.id,
      status: b.status,
      outputFileId: b.output_file_id ?? null,
      errorFileId: b.error_file_id ?? null,
      counts: { total: b.request_counts?.total ?? 0, completed: b.request_counts?.completed ?? 0, failed: b.request_counts?.failed ?? 0 },
      problems: (b.errors?.data ?? []).map((e) => `${e.line != null ? `line ${e.line}: ` : ''}${e.message ?? 'invalid'}`),
    };
  }
}
