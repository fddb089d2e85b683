import type { FileHandle } from 'node:fs/promises';
import { openRegular } from '../folder/index';

interface Pending {
  data: Buffer;
  resolve: (offset: number) => void;
  reject: (err: unknown) => void;
}

/**
 * An append-only file written with group commit: appends that arrive while a write+fsync
 * is in flight are gathered into the next one. A promise resolves only after its bytes are
 * flushed to disk, with the byte offset where they start.
 */
export class AppendLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private failed: unknown = null;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    /** Bytes in the file; the next append starts here. */
    private size: number,
  ) {}

  /** Opens for appending; `size` is the length of the file's valid content. */
  static async open(path: string, size: number): Promise<AppendLog> {
    const fh = await openRegular(path, 'append');
    return new AppendLog(path, fh, size);
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends complete lines (each ending in `\n`); resolves once they are on disk. */
  append(text: string | Buffer): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ data: typeof text === 'string' ? Buffer.from(text, 'utf8') : text, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const start = this.size;
      const data = batch.length === 1 ? batch[0]!.data : Buffer.concat(batch.map((p) => p.data));
      try {
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await this.fh.write(data, written, data.length - written);
          written += bytesWritten;
        }
        await this.fh.datasync();
      } catch (err) {
        // Cut what may have reached the file, so no half batch stays behind a later append.
        await this.fh.truncate(start).catch(() => {});
        this.failed = err;
        for (const p of [...batch, ...this.queue]) p.reject(err);
        this.queue = [];
        break;
      }
      this.size = start + data.length;
      let offset = start;
      for (const p of batch) {
        p.resolve(offset);
        offset += p.data.length;
      }
    }
    this.flushing = null;
  }

  /** Waits for appends in flight, then closes the file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.fh.close();
  }
}
