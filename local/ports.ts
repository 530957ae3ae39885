import type { Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';

export const HOST = '127.0.0.1';

export interface PortRequest {
  /** What listens there, for messages ("API", "S3"). */
  label: string;
  port: number;
  /** The environment variable that changes this port. */
  envVar: string;
}

/** A port someone else already listens on; the message says which one and how to move. */
export class PortInUseError extends Error {
  constructor(readonly taken: readonly PortRequest[]) {
    const list = taken.map((t) => `${t.label} ${HOST}:${t.port}`).join(', ');
    const fix = taken.map((t) => `${t.envVar}=<port>`).join(' ');
    super(
      `Port sudah dipakai: ${list}. Apakah "indeks start" sudah berjalan? Hentikan dulu, atau pilih port lain: ${fix} npm start\n` +
        `Port already in use: ${list}. Is "indeks start" already running? Stop it first, or choose other ports: ${fix} npm start`,
    );
    this.name = 'PortInUseError';
  }
}

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: HOST, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Checks every fixed port before anything starts, so that a second `indeks start` reports all
 * taken ports at once and leaves nothing half-started (dynalite would already hold the data
 * folder's LevelDB lock if it were created first).
 */
export async function ensurePortsFree(requests: readonly PortRequest[]): Promise<void> {
  const fixed = requests.filter((r) => r.port !== 0);
  const free = await Promise.all(fixed.map((r) => tryBind(r.port)));
  const taken = fixed.filter((_, i) => !free[i]);
  if (taken.length > 0) throw new PortInUseError(taken);
}

/** Starts `server` on 127.0.0.1:port (0 = any free port) and returns the port it got. */
export function listen(server: Server, request: PortRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError([request]) : error);
    };
    server.once('error', onError);
    server.listen(request.port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Closes a server: idle keep-alive connections at once, requests still in flight after a grace
 * period (a handler that never answers must not keep Ctrl-C waiting).
 */
export function close(server: Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
