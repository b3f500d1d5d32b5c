import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** File-system calls {@link writeFileAtomic} makes that tests may replace to inject failures. */
export interface AtomicWriteFs {
  rename: typeof rename;
}

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Permission bits of a new file. Default: those of the file replaced, else 0o644. */
  mode?: number;
  /** Default: `node:fs/promises`. */
  fs?: Partial<AtomicWriteFs>;
}

/**
 * Writes `content` so that `path` holds either its old bytes or all the new ones, never a
 * truncated file: a temporary file in the same directory (the same file system, so the rename is
 * atomic) is written, flushed to disk, then renamed over `path`. On any failure the temporary
 * file is removed and `path` is left as it was. Creates missing parent directories.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const fs: AtomicWriteFs = { rename, ...options.fs };
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const mode = options.mode ?? (await existingMode(path)) ?? 0o644;
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

// Makes the rename itself durable; best effort, as some platforms cannot open a directory.
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability of the directory entry is a bonus; the file content is already safe.
  }
}
