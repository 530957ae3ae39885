import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '#local/config';

/** The real `indeks start` in a child process, on free ports: what the kill tests cut with SIGKILL. */
export interface RuntimeChild {
  process: ChildProcess;
  api: string;
  s3: string;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
}

export async function startRuntimeChild(dataDir: string): Promise<RuntimeChild> {
  const child = spawn(process.execPath, ['bin/indeks.js', 'start', '--data-dir', dataDir], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      INDEKS_S3_PORT: '0',
      INDEKS_DYNAMODB_PORT: '0',
      INDEKS_SERVICES_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ready = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('ready'));
      if (line) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`indeks start exited with ${code}:\n${output}`)));
  });
  const url = (name: string) => {
    const found = new RegExp(`${name} (http://127\\.0\\.0\\.1:\\d+)`).exec(ready)?.[1];
    if (!found) throw new Error(`no ${name} URL in the ready line: ${ready}`);
    return found;
  };
  return { process: child, api: url('API'), s3: url('S3'), output: () => output };
}

/** SIGKILL, as a power cut or the OOM killer would, and wait until the process is gone. */
export async function killRuntimeChild(child: RuntimeChild): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}
