import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (local/ lives directly under it). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Fixed ports of `indeks start`, each with the variable that moves it. */
export const PORTS = {
  api: { label: 'API', envVar: 'PORT', default: 3000 },
  s3: { label: 'S3', envVar: 'INDEKS_S3_PORT', default: 4569 },
  dynamodb: { label: 'DynamoDB', envVar: 'INDEKS_DYNAMODB_PORT', default: 4567 },
  services: { label: 'Step Functions/Scheduler', envVar: 'INDEKS_SERVICES_PORT', default: 4568 },
} as const;

export type PortName = keyof typeof PORTS;
export type Ports = Record<PortName, number>;

/** Ports from the environment (or their defaults); throws on a value that is not a port. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Ports {
  const read = (name: PortName): number => {
    const { envVar } = PORTS[name];
    const raw = env[envVar];
    if (raw === undefined || raw === '') return PORTS[name].default;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(
        `${envVar}="${raw}" bukan nomor port yang sah. / ${envVar}="${raw}" is not a valid port number.`,
      );
    }
    return port;
  };
  return { api: read('api'), s3: read('s3'), dynamodb: read('dynamodb'), services: read('services') };
}

export const DEFAULT_DATA_DIR = join(PROJECT_ROOT, '.data');
/** Synthesized templates, shared by every data folder (tests use throwaway ones). */
export const TEMPLATE_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'indeks');

/** Where each emulator keeps its state inside the data folder. */
export const dataLayout = (dataDir: string) => ({
  dynamodb: join(dataDir, 'dynamodb'),
  s3: join(dataDir, 's3'),
  executions: join(dataDir, 'stepfunctions', 'executions.json'),
  schedules: join(dataDir, 'scheduler', 'schedules.json'),
  clock: join(dataDir, 'clock.json'),
  deadLetters: join(dataDir, 'dead-letters.jsonl'),
  lock: join(dataDir, 'runtime.pid'),
  auth: join(dataDir, 'auth', 'issuer.json'),
});
