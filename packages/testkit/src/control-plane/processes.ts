import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ControlPlaneError } from './errors.js';

/** What to run, and where its output goes. */
export interface ProcessSpec {
  /** Short name used in messages, e.g. `etcd`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** Removed by the watchdog if this process (the parent) dies without stopping the child. */
  readonly cleanupDir?: string;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

// Runs detached, so a SIGKILL of this Node process (which no exit handler sees) or a Ctrl-C
// to the process group still ends the child and removes its temporary files within a second.
const WATCHDOG = `
parent=$1 child=$2 dir=$3
while kill -0 "$parent" 2>/dev/null; do
  kill -0 "$child" 2>/dev/null || exit 0
  sleep 1
done
kill -KILL "$child" 2>/dev/null
[ -n "$dir" ] && rm -rf "$dir"
exit 0
`;

/** A child process with a log file, a parent-death watchdog and a graceful stop. */
export class ManagedProcess {
  readonly exit: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;
  private readonly watchdog: ChildProcess | undefined;

  private constructor(
    readonly spec: ProcessSpec,
    private readonly child: ChildProcess,
  ) {
    this.exit = new Promise<ProcessExit>((resolve) => {
      child.once('error', (error) => {
        this.exitInfo ??= { code: null, signal: null, error };
        resolve(this.exitInfo);
      });
      child.once('exit', (code, signal) => {
        this.exitInfo ??= { code, signal };
        resolve(this.exitInfo);
      });
    });
    if (child.pid !== undefined) {
      this.watchdog = spawn(
        'sh',
        ['-c', WATCHDOG, 'watchdog', String(process.pid), String(child.pid), spec.cleanupDir ?? ''],
        { detached: true, stdio: 'ignore' },
      );
      this.watchdog.unref();
    }
  }

  /** Spawns the process; a spawn failure shows up in {@link ManagedProcess.exit}. */
  static start(spec: ProcessSpec): ManagedProcess {
    const fd = openSync(spec.logFile, 'a');
    try {
      const child = spawn(spec.command, [...spec.args], { stdio: ['ignore', fd, fd] });
      return new ManagedProcess(spec, child);
    } finally {
      closeSync(fd);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Set once the process has ended. */
  get exited(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** The last `lines` lines of the log, for error messages. */
  async logTail(lines = 30): Promise<string> {
    const text = await readFile(this.spec.logFile, 'utf8').catch(() => '');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** An error describing an unexpected exit, with the end of the log. */
  async exitError(): Promise<ControlPlaneError> {
    const e = this.exitInfo;
    const how = e?.error
      ? e.error.message
      : `exited with code ${e?.code ?? 'null'} signal ${e?.signal ?? 'none'}`;
    return new ControlPlaneError(
      'process-failed',
      `${this.spec.name} ${how}; log ${this.spec.logFile}:\n${await this.logTail()}`,
      { cause: e?.error },
    );
  }

  /** SIGTERM, then SIGKILL after `timeoutMs` (default 10 s). Resolves once the process is gone. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopWatchdog();
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([this.exit, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }

  /** Synchronous SIGKILL, for `process.on('exit')` where nothing asynchronous runs. */
  killNow(): void {
    this.stopWatchdog();
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  private stopWatchdog(): void {
    const pid = this.watchdog?.pid;
    if (pid === undefined || this.watchdog?.exitCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL'); // its process group: the shell and its `sleep`
    } catch {
      // already gone
    }
  }
}
