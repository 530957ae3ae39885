import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { notAdmittedCommand } from '#cli/commands/not-admitted';

/** `indeks not-admitted` pages through the admin route, per status, and prints every reason. */
const seen: string[] = [];
let server: Server;

const item = (kode: string, kind: 'data' | 'evidence', status: string) => ({
  kind,
  kode,
  fileName: kind === 'data' ? 'isian.csv' : 'perda.pdf',
  key: `submissions/c1/${kode}/x/${kind}`,
  uploadedAt: '2026-03-31T17:01:00.000Z',
  admission: { reason_id: `alasan ${status}`, reason_en: `reason ${status}` },
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.headers.authorization} ${url.pathname}?${url.searchParams}`);
    const status = url.searchParams.get('status') ?? '';
    const cursor = url.searchParams.get('cursor');
    const body =
      status === 'NOT_GRANTED' && !cursor
        ? { cycleId: 'c1', status, items: [item('18.01', 'data', status)], cursor: 'next' }
        : status === 'NOT_GRANTED'
          ? { cycleId: 'c1', status, items: [item('18.02', 'evidence', status)] }
          : { cycleId: 'c1', status, items: [item('32.04', 'data', status)] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  vi.stubEnv('INDEKS_API', `http://127.0.0.1:${port}`);
  vi.stubEnv('INDEKS_TOKEN', 'admin-token');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

describe('indeks not-admitted', () => {
  it('lists both statuses, every page, with each file and its bilingual reason', async () => {
    const lines: string[] = [];
    const code = await notAdmittedCommand(['--cycle', 'c1'], { out: (t) => lines.push(t), err: () => {} });
    expect(code).toBe(0);
    expect(seen).toEqual([
      'Bearer admin-token /cycles/c1/submissions/not-admitted?status=NOT_GRANTED&limit=100',
      'Bearer admin-token /cycles/c1/submissions/not-admitted?status=NOT_GRANTED&limit=100&cursor=next',
      'Bearer admin-token /cycles/c1/submissions/not-admitted?status=LATE&limit=100',
    ]);
    const text = lines.join('\n');
    expect(text).toContain('c1 NOT_GRANTED: 2 berkas / files');
    expect(text).toContain('18.02  bukti/evidence  perda.pdf');
    expect(text).toContain('alasan NOT_GRANTED / reason NOT_GRANTED');
    expect(text).toContain('c1 LATE: 1 berkas / files');
  });

  it('refuses a status other than NOT_GRANTED or LATE and a missing cycle', async () => {
    const io = { out: () => {}, err: () => {} };
    await expect(notAdmittedCommand(['--cycle', 'c1', '--status', 'SCORED'], io)).rejects.toThrow(
      /NOT_GRANTED/,
    );
    await expect(notAdmittedCommand([], io)).rejects.toThrow(/--cycle/);
  });
});
