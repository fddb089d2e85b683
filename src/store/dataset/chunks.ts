import { openRegular } from '../folder/index';

/** A regular file's bytes (links followed; a device or FIFO is refused) in chunks of at most `size`, each chunk a fresh buffer (slices of it may be kept). */
export async function* fileChunks(path: string, size = 1 << 22, start = 0): AsyncGenerator<Buffer> {
  const fh = await openRegular(path, 'read', { follow: true });
  try {
    let position = start;
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await fh.read(buf, 0, size, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === size ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
