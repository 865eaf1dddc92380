// The sandbox kill switch (`shaketable halt --local`): the file `<base>/halt.json`, present when on.
// The AWS twin is the SSM parameter /shaketable/halt.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import type { KillSwitch } from '../../core/ports.js';
import { DEFAULT_BASE_DIR, isErrno, LocalStateError, readJsonFile, writeFileAtomic } from './paths.js';

/** What `halt --local` writes; `reason` and `at` may be absent in a file written by hand. */
const HaltFile = z.object({
  on: z.optional(z.boolean()),
  reason: z.optional(z.string()),
  at: z.optional(z.string()),
});

export class FileKillSwitch implements KillSwitch {
  readonly file: string;

  constructor(baseDir: string = DEFAULT_BASE_DIR) {
    this.file = path.join(baseDir, 'halt.json');
  }

  /** Throws LocalStateError when the file is there but is not a kill-switch file (truncated, `null`, a folder). */
  async get(): Promise<{ on: boolean; reason?: string }> {
    const read = await readJsonFile(this.file);
    if (read === 'absent') return { on: false };
    if ('damaged' in read) throw this.unreadable(read.damaged);
    const saved = HaltFile.safeParse(read.json);
    if (!saved.success) throw this.unreadable('is not a kill-switch file (expected {"on": true, "reason": "…"})');
    if (saved.data.on === false) return { on: false };
    return saved.data.reason === undefined ? { on: true } : { on: true, reason: saved.data.reason };
  }

  async set(on: boolean, reason?: string): Promise<void> {
    if (!on) {
      // Off always works, whatever is in the way: a folder or a damaged file in halt.json's place is removed too.
      await rm(this.file, { recursive: true, force: true });
      return;
    }
    try {
      await writeFileAtomic(
        this.file,
        `${JSON.stringify({ on: true, reason, at: new Date().toISOString() }, null, 2)}\n`,
      );
    } catch (error) {
      if (isErrno(error, 'EISDIR') || isErrno(error, 'ENOTEMPTY') || isErrno(error, 'EEXIST'))
        throw this.unreadable('is a folder, not a file');
      throw error;
    }
  }

  private unreadable(why: string): LocalStateError {
    return new LocalStateError(`${this.file} ${why}; clear it with: shaketable resume --local (or delete it)`);
  }
}
