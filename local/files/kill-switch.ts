// The sandbox kill switch (`shaketable halt --local`): the file `<base>/halt.json`, present when on.
// The AWS twin is the SSM parameter /shaketable/halt.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { KillSwitch } from '../../core/ports.js';
import { DEFAULT_BASE_DIR, isErrno, writeFileAtomic } from './paths.js';

export class FileKillSwitch implements KillSwitch {
  readonly file: string;

  constructor(baseDir: string = DEFAULT_BASE_DIR) {
    this.file = path.join(baseDir, 'halt.json');
  }

  async get(): Promise<{ on: boolean; reason?: string }> {
    try {
      const saved = JSON.parse(await readFile(this.file, 'utf8')) as { reason?: string };
      return saved.reason === undefined ? { on: true } : { on: true, reason: saved.reason };
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { on: false };
      throw error;
    }
  }

  async set(on: boolean, reason?: string): Promise<void> {
    if (!on) {
      await rm(this.file, { force: true });
      return;
    }
    await writeFileAtomic(
      this.file,
      `${JSON.stringify({ on: true, reason, at: new Date().toISOString() }, null, 2)}\n`,
    );
  }
}
