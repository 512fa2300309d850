// The server process a benchmark measures: started as `npm start` runs it, stopped cleanly.
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** As `npm start` runs the server (package.json): PGlite's WebAssembly kept to V8's baseline
 * compiler, which halves the server's memory (README, performance). */
export const SERVER_FLAGS = ['--liftoff-only'];

/** `file` run again with `args` as the server, its own process, with `env` added; IPC to talk to it. */
export function forkServer(file: string, args: string[], env: Record<string, string>): ChildProcess {
  return fork(file, args, { execArgv: [...process.execArgv, ...SERVER_FLAGS], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The first message of the child (it sends one when it listens); a child that exits first is an error. */
export function firstMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((res, rej) => {
    child.once('message', (m) => res(m as T));
    child.once('exit', (code) => rej(new Error(`the server exited (${code}) before it was ready`)));
  });
}

/** Asks the child to stop (killed after 15 s), then removes its data directory. */
export async function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ cmd: 'stop' });
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
