import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { canonicalUrl } from '../core/key-destinations';
import { DEFAULT_TIMEOUT_MS } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { exchange, requestJson, type PostOptions } from './json-post';

import { BatchState } from './batch-states';

const BatchReply = z.looseObject({
  id: z.string().min(1),
  status: BatchState,
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  request_counts: z.looseObject({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
  errors: z.looseObject({ data: z.array(z.looseObject({ message: z.string().nullish(), line: z.number().nullish() })).nullish() }).nullish(),
});

const FileReply = z.looseObject({ id: z.string().min(1) });

/**
 * Failures that may pass: no connection, no reply in time, 408, 409 (a conflict the server
 * resolves), 429, 5xx. Not a reply past its size cap (it would only be read again).
 */
function worthRetrying(e: EndpointError): boolean {
  if (e.kind === 'connection' || e.kind === 'timeout') return true;
  return e.kind === 'http' && e.status !== null && (e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500);
}

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

/** A download streams to disk; it may take far longer than one JSON exchange, but not for ever. */
export const BATCH_DOWNLOAD_TIMEOUT_MS = 60 * 60_000;

/**
 * The files and batches routes of an OpenAI-compatible server (the OpenAI Batch API):
 * upload a Batch input file, create the batch, poll it, download its output and error
 * files. Every call goes through the endpoints' one HTTP path (json-post.ts over
 * httpFetch): the same URL parsing, time limits and redirect rule as sampling; JSON
 * replies have the same size cap, a downloaded file its own (MAX_BATCH_FILE_BYTES),
 * enforced the same way. A call that fails for a reason worth retrying (no connection,
 * no reply in time, 408, 409, 429, 5xx) is tried again twice.
 */
export class BatchApi {
  readonly url: string;
  private readonly timeoutMs: number;

  /** `maxFileBytes` (MAX_BATCH_FILE_BYTES unless given) and `retryDelayMs` (500) are there for tests. */
  constructor(private readonly opts: { baseURL: string; apiKey?: string; timeoutMs?: number; retryDelayMs?: number; maxFileBytes?: number }) {
    this.url = canonicalUrl(opts.baseURL);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private post(signal: AbortSignal | undefined, timeoutMs = this.timeoutMs): PostOptions {
    return { apiKey: this.opts.apiKey, timeoutMs, ...(signal ? { signal } : {}) };
  }

  async upload(path: string, signal?: AbortSignal): Promise<string> {
    const size = (await stat(path)).size;
    const boundary = `hsstar-${randomBytes(12).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${basename(path).replace(/["\r\n]/g, '_')}"\r\ncontent-type: application/jsonl\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    async function* form(): AsyncGenerator<Buffer> {
      yield head;
      yield* createReadStream(path) as AsyncIterable<Buffer>;
      yield tail;
    }
    try {
      const file = await this.retried(() =>
        requestJson(
          `${this.url}/files`,
          { method: 'POST', body: Readable.from(form()), contentType: `multipart/form-data; boundary=${boundary}`, contentLength: head.length + size + tail.length },
          FileReply,
          this.post(signal),
        ),
      );
      return file.id;
    } catch (err) {
      const e = err as EndpointError;
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
    const body = JSON.stringify({ input_file_id: inputFileId, endpoint, completion_window: '24h' });
    const url = `${this.url}/batches`;
    return this.read(await this.retried(() => requestJson(url, { method: 'POST', body, contentType: 'application/json' }, BatchReply, this.post(signal))));
  }

  async status(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
    const url = `${this.url}/batches/${encodeURIComponent(batchId)}`;
    return this.read(await this.retried(() => requestJson(url, { method: 'GET' }, BatchReply, this.post(signal))));
  }

  /** Streams a file's content to `dest`, stopping at MAX_BATCH_FILE_BYTES; a download that fails leaves no file. */
  async download(fileId: string, dest: string, signal?: AbortSignal): Promise<number> {
    const url = `${this.url}/files/${encodeURIComponent(fileId)}/content`;
    return this.retried(async () => {
      const fh = await open(dest, 'w');
      let bytes = 0;
      try {
        await exchange(url, {
          method: 'GET',
          maxBytes: this.opts.maxFileBytes ?? MAX_BATCH_FILE_BYTES,
          sink: async (chunk) => {
            bytes += chunk.length;
            await fh.write(chunk);
          },
        }, this.post(signal, Math.max(this.timeoutMs, BATCH_DOWNLOAD_TIMEOUT_MS)));
        await fh.sync();
      } catch (err) {
        await fh.close();
        await rm(dest, { force: true });
        throw err;
      }
      await fh.close();
      return bytes;
    });
  }

  /** Runs a call again (twice at most, after 0.5 s, then 1 s, or what Retry-After asks, up to 1 min) when its failure may pass. */
  private async retried<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof EndpointError) || attempt >= 2 || !worthRetrying(err)) throw err;
        await sleep(Math.min(err.retryAfterMs ?? (this.opts.retryDelayMs ?? 500) * 2 ** attempt, 60_000));
      }
    }
  }

  private read(b: z.infer<typeof BatchReply>): BatchStatus {
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
