/**
 * Child process of dynamo-atomic.test.ts: the runtime's dynalite on `argv[2]`, and writers that
 * keep moving items between the partitions of a GSI until the parent kills the process.
 * Prints `ready` once writes are under way.
 */
import { listen } from '#local/ports';
import { createDynamoServer, localClient } from '#local/storage/dynamo';
import { createStatusTable, ITEMS, STATUSES, setStatus } from './dynalite-status-table';

const path = process.argv[2] ?? '';
const server = createDynamoServer(path);
const port = await listen(server, { port: 0, label: 'DynamoDB', envVar: 'INDEKS_DYNAMODB_PORT' });
const client = localClient(port, 'ap-southeast-3');
await createStatusTable(client);

let round = 0;
const worker = async (id: number) => {
  for (let n = 0; ; n++) {
    const status = STATUSES[(n + id) % STATUSES.length] ?? 'A';
    await setStatus(client, `item-${id}`, status, n);
    if (id === 0 && ++round === 20) process.stdout.write('ready\n');
  }
};
await Promise.all(Array.from({ length: ITEMS }, (_, id) => worker(id)));
