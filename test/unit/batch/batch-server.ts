/**
 * A local server speaking the OpenAI files and batches routes, for the batch submit tests:
 * it takes a multipart upload, runs each request line through `answer` when the batch is
 * polled, and serves the output and error files as the Batch API documents them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type LineAnswer = { status: number; body: unknown } | { error: { code: string; message: string } };

export interface BatchServerOptions {
  answer: (request: { custom_id: string; body: Record<string, unknown> }) => LineAnswer;
  /** Polls a batch stays `in_progress` before it completes. */
  pollsToFinish?: number;
  /** Fail validation with these errors instead of running. */
  validationErrors?: { line: number; message: string }[];
}

interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: Buffer;
}

interface BatchRecord {
  id: string;
  input_file_id: string;
  endpoint: string;
  status: string;
  polls: number;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
  errors: { object: 'list'; data: { code: string; line: number; message: string; param: null }[] } | null;
}

export interface BatchServer {
  v1: string;
  authorizations: string[];
  uploads: StoredFile[];
  close(): Promise<void>;
}

export async function startBatchServer(o: BatchServerOptions): Promise<BatchServer> {
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, BatchRecord>();
  const authorizations: string[] = [];
  let seq = 0;

  const fileObject = (f: StoredFile) => ({ id: f.id, object: 'file', bytes: f.content.length, created_at: 1_700_000_000, filename: f.filename, purpose: f.purpose, status: 'processed' });
  const batchObject = (b: BatchRecord) => ({
    id: b.id,
    object: 'batch',
    endpoint: b.endpoint,
    errors: b.errors,
    input_file_id: b.input_file_id,
    completion_window: '24h',
    status: b.status,
    output_file_id: b.output_file_id,
    error_file_id: b.error_file_id,
    created_at: 1_700_000_000,
    request_counts: b.request_counts,
    metadata: null,
  });
  const save = (filename: string, purpose: string, content: Buffer): StoredFile => {
    const f = { id: `file-${++seq}`, filename, purpose, content };
    files.set(f.id, f);
    return f;
  };

  /** The Batch API's checks of an input file: POST, the batch's endpoint on every line, unique custom_ids, one model. */
  function lineProblems(b: BatchRecord): { line: number; message: string }[] {
    const problems: { line: number; message: string }[] = [];
    const ids = new Set<string>();
    const models = new Set<string>();
    files.get(b.input_file_id)!.content.toString('utf8').trim().split('\n').forEach((text, i) => {
      const line = JSON.parse(text) as { custom_id?: string; method?: string; url?: string; body?: { model?: string } };
      if (line.method !== 'POST') problems.push({ line: i + 1, message: 'method must be POST' });
      if (line.url !== b.endpoint) problems.push({ line: i + 1, message: `url ${String(line.url)} does not match the batch endpoint ${b.endpoint}` });
      if (!line.custom_id || ids.has(line.custom_id)) problems.push({ line: i + 1, message: 'custom_id must be unique' });
      ids.add(String(line.custom_id));
      models.add(String(line.body?.model));
    });
    if (models.size > 1) problems.push({ line: 1, message: 'all requests of a batch must use the same model' });
    return problems;
  }

  function run(b: BatchRecord): void {
    const lines = files.get(b.input_file_id)!.content.toString('utf8').trim().split('\n');
    const out: string[] = [];
    const err: string[] = [];
    for (const line of lines) {
      const req = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
      const a = o.answer(req);
      const id = `batch_req_${++seq}`;
      if ('error' in a) err.push(JSON.stringify({ id, custom_id: req.custom_id, response: null, error: a.error }));
      else if (a.status !== 200) err.push(JSON.stringify({ id, custom_id: req.custom_id, response: { status_code: a.status, request_id: `req_${seq}`, body: a.body }, error: null }));
      else out.push(JSON.stringify({ id, custom_id: req.custom_id, response: { status_code: 200, request_id: `req_${seq}`, body: a.body }, error: null }));
    }
    b.request_counts = { total: lines.length, completed: out.length, failed: err.length };
    if (out.length) b.output_file_id = save('batch_output.jsonl', 'batch_output', Buffer.from(out.join('\n') + '\n')).id;
    if (err.length) b.error_file_id = save('batch_errors.jsonl', 'batch_output', Buffer.from(err.join('\n') + '\n')).id;
    b.status = 'completed';
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      authorizations.push(String(req.headers.authorization ?? ''));
      const body = Buffer.concat(chunks);
      const url = (req.url ?? '/').split('?')[0]!;
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      try {
        if (req.method === 'POST' && url === '/v1/files') {
          const form = await new Response(body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
          const file = form.get('file');
          if (!(file instanceof Blob)) return json(400, { error: { message: 'no file', type: 'invalid_request_error' } });
          const name = file instanceof File ? file.name : 'upload.jsonl';
          return json(200, fileObject(save(name, String(form.get('purpose')), Buffer.from(await file.arrayBuffer()))));
        }
        if (req.method === 'POST' && url === '/v1/batches') {
          const p = JSON.parse(body.toString('utf8')) as { input_file_id: string; endpoint: string };
          if (!files.has(p.input_file_id)) return json(404, { error: { message: `no file ${p.input_file_id}`, type: 'invalid_request_error' } });
          const b: BatchRecord = { id: `batch_${++seq}`, input_file_id: p.input_file_id, endpoint: p.endpoint, status: 'validating', polls: 0, output_file_id: null, error_file_id: null, request_counts: { total: 0, completed: 0, failed: 0 }, errors: null };
          batches.set(b.id, b);
          return json(200, batchObject(b));
        }
        const batch = /^\/v1\/batches\/([^/]+)$/.exec(url);
        if (req.method === 'GET' && batch) {
          const b = batches.get(batch[1]!);
          if (!b) return json(404, { error: { message: 'no such batch', type: 'invalid_request_error' } });
          b.polls++;
          const problems = b.status === 'validating' ? [...(o.validationErrors ?? []), ...lineProblems(b)] : [];
          if (problems.length > 0) {
            b.status = 'failed';
            b.errors = { object: 'list', data: problems.map((e) => ({ code: 'invalid_request', line: e.line, message: e.message, param: null })) };
          } else if (b.status === 'validating') b.status = 'in_progress';
          else if (b.status === 'in_progress' && b.polls > (o.pollsToFinish ?? 2)) run(b);
          return json(200, batchObject(b));
        }
        const content = /^\/v1\/files\/([^/]+)\/content$/.exec(url);
        if (req.method === 'GET' && content) {
          const f = files.get(content[1]!);
          if (!f) return json(404, { error: { message: 'no such file', type: 'invalid_request_error' } });
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.content.length });
          return res.end(f.content);
        }
        json(404, { error: { message: `no route ${req.method} ${url}`, type: 'invalid_request_error' } });
      } catch (e) {
        json(500, { error: { message: String(e), type: 'server_error' } });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    v1: `${url}/v1`,
    authorizations,
    get uploads() {
      return [...files.values()].filter((f) => f.purpose === 'batch');
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
