import { createHash } from 'node:crypto';
import { openRegular } from '../folder/index';

/**
 * sha256 of a file's bytes, hex; read in chunks, so the file never sits in memory whole.
 * Only a regular file is read (a link to one is followed: the dataset is the user's own):
 * a device such as /dev/zero would never end.
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await openRegular(path, 'read', { follow: true });
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
