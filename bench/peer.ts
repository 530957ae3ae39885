import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The peer lives beside the repository: `../shared/bench/peer_pandas_iid.py` from the repo root
 * (a worktree one folder deeper finds it one more level up).
 */
function findPeer(): string | undefined {
  for (let dir = resolve(ROOT, '..'); ; dir = resolve(dir, '..')) {
    const candidate = resolve(dir, 'shared', 'bench', 'peer_pandas_iid.py');
    if (existsSync(candidate)) return candidate;
    if (dir === resolve(dir, '..')) return undefined;
  }
}

/**
 * Runs the pandas peer (its README: Debian's python3-pandas) and returns its median in ms, or
 * prints why it was not run and returns undefined. Never fails the bench.
 */
export function peerMedian(): number | undefined {
  const skip = (why: string) => {
    console.log(`pandas peer: not run (${why})`);
    return undefined;
  };
  const PEER = findPeer();
  if (!PEER) return skip(`../shared/bench/peer_pandas_iid.py not found above ${ROOT}`);
  if (!existsSync(PYTHON)) return skip(`${PYTHON} not found`);
  try {
    execFileSync(PYTHON, ['-c', 'import pandas, numpy'], { stdio: 'ignore' });
  } catch {
    return skip(`pandas is not importable by ${PYTHON}; apt-get install -y python3-pandas`);
  }
  let out: string;
  try {
    out = execFileSync(PYTHON, [PEER], { encoding: 'utf8', timeout: 300_000 });
  } catch (error) {
    return skip(`the peer failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  process.stdout.write(out);
  const median = /median ([\d.]+) ms/.exec(out)?.[1];
  return median === undefined ? skip('no median in its output') : Number(median);
}
