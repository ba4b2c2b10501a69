// The one wrapper around media child processes (ffmpeg, ffprobe, packager).
// Every run has a step name and an input for its error message, an AbortSignal
// (the job's: shutdown or a lost claim), and a timeout. On failure the error
// keeps the full command line and the tail of stderr for the log; its message
// stays short enough to show an editor.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface RunProcessOptions {
  /** What this run does, e.g. "encode ladder", "probe", "package". */
  step: string;
  /** What it works on (a file name), for the error message. */
  input: string;
  command: string;
  args: readonly string[];
  signal?: AbortSignal;
  timeoutMs: number;
  cwd?: string;
  /** Collect stdout (ffprobe's JSON); capped at `maxStdoutBytes`. */
  collectStdout?: boolean;
  maxStdoutBytes?: number;
  /** Called with each complete stdout line (ffmpeg's -progress pipe:1). */
  onStdoutLine?: (line: string) => void;
}

export interface ProcessResult {
  stdout: string;
  stderrTail: string;
}

export type ProcessFailure = 'exit' | 'signal' | 'timeout' | 'aborted' | 'spawn';

const STDERR_TAIL_BYTES = 8 * 1024;

export class ProcessError extends Error {
  readonly step: string;
  readonly input: string;
  readonly commandLine: string;
  readonly failure: ProcessFailure;
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly stderrTail: string;

  constructor(opts: {
    step: string;
    input: string;
    commandLine: string;
    failure: ProcessFailure;
    exitCode: number | null;
    exitSignal: NodeJS.Signals | null;
    stderrTail: string;
    detail: string;
    cause?: unknown;
  }) {
    super(`${opts.step} failed on ${opts.input}: ${opts.detail}`, { cause: opts.cause });
    this.name = 'ProcessError';
    this.step = opts.step;
    this.input = opts.input;
    this.commandLine = opts.commandLine;
    this.failure = opts.failure;
    this.exitCode = opts.exitCode;
    this.exitSignal = opts.exitSignal;
    this.stderrTail = opts.stderrTail;
  }

  /** The last meaningful stderr line, which is usually the tool's own reason. */
  lastStderrLine(): string {
    return lastLine(this.stderrTail);
  }
}

export function runProcess(opts: RunProcessOptions): Promise<ProcessResult> {
  const commandLine = [opts.command, ...opts.args].map(quoteArg).join(' ');
  const tool = path.basename(opts.command);
  return new Promise<ProcessResult>((resolve, reject) => {
    const fail = (failure: ProcessFailure, detail: string, extra: { exitCode?: number | null; exitSignal?: NodeJS.Signals | null; cause?: unknown } = {}) =>
      new ProcessError({ step: opts.step, input: opts.input, commandLine, failure, exitCode: extra.exitCode ?? null, exitSignal: extra.exitSignal ?? null, stderrTail: stderr, detail, cause: extra.cause });

    let stderr = '';
    if (opts.signal?.aborted) {
      reject(fail('aborted', `${tool} not started: the job was aborted`));
      return;
    }
    const child = spawn(opts.command, opts.args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let lineBuf = '';
    let ended: ProcessFailure | undefined;

    child.stdout.on('data', (chunk: Buffer) => {
      if (opts.collectStdout && stdoutBytes < (opts.maxStdoutBytes ?? 16 * 1024 * 1024)) {
        stdoutChunks.push(chunk);
        stdoutBytes += chunk.length;
      }
      if (opts.onStdoutLine) {
        lineBuf += chunk.toString('utf8');
        let nl: number;
        while ((nl = lineBuf.indexOf('\n')) >= 0) {
          opts.onStdoutLine(lineBuf.slice(0, nl).trimEnd());
          lineBuf = lineBuf.slice(nl + 1);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > STDERR_TAIL_BYTES * 2) stderr = stderr.slice(-STDERR_TAIL_BYTES);
    });

    const kill = (why: ProcessFailure) => {
      ended ??= why;
      // SIGKILL: ffmpeg's graceful stop would only finish files we are about to delete.
      child.kill('SIGKILL');
    };
    const onAbort = () => kill('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);

    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      stderr = stderr.slice(-STDERR_TAIL_BYTES);
      if (spawnError) return reject(fail('spawn', `could not start ${tool}: ${spawnError.message}`, { cause: spawnError }));
      if (ended === 'aborted') return reject(fail('aborted', `${tool} stopped: the job was aborted`, { exitCode: code, exitSignal: sig }));
      if (ended === 'timeout') return reject(fail('timeout', `${tool} took longer than ${Math.round(opts.timeoutMs / 1000)} s`, { exitCode: code, exitSignal: sig }));
      if (sig) return reject(fail('signal', `${tool} was killed by ${sig}`, { exitCode: code, exitSignal: sig }));
      if (code !== 0) {
        const reason = lastLine(stderr);
        return reject(fail('exit', `${tool} exited with code ${code}${reason ? `: ${reason}` : ''}`, { exitCode: code }));
      }
      resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderrTail: stderr });
    });
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.at(-1) ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=,+%@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
