import { type ApiTarget, callApi } from '#cli/api-client';
import { calendarFrom } from './cycle-calendar';

/** A respondent list meeting ikkd-2020's quotas: 34 people. */
export const QUOTA_LIST_SIZES: Record<string, number> = {
  'kepala-opd': 9,
  dprd: 6,
  forkopimda: 2,
  asn: 2,
  'tokoh-masyarakat': 6,
  'tokoh-agama': 2,
  akademisi: 2,
  'pelaku-usaha': 2,
  media: 3,
};
export const respondentList = () =>
  Object.entries(QUOTA_LIST_SIZES).flatMap(([category, n]) =>
    Array.from({ length: n }, (_, i) => ({
      name: `Responden ${category} ${i + 1}`,
      position: `Jabatan ${i + 1}`,
      category,
      contact: `r${i}@contoh.go.id`,
    })),
  );

/** An IKKD cycle opened through its calendar on the local runtime (the clock moves 3 minutes). */
export async function openIkkdCycle(baseUrl: string, admin: ApiTarget): Promise<string> {
  const clock = (await callApi<{ now: string }>({ baseUrl }, 'GET', '/_local/clock')).body;
  const now = Date.parse(clock.now);
  const cycleId = `survey-${now}`;
  await callApi(admin, 'POST', '/cycles', {
    body: {
      cycleId,
      methodologyId: 'ikkd-2020',
      name: 'IKKD survei',
      calendar: calendarFrom(now, 120_000),
    },
  });
  await callApi(admin, 'POST', '/_local/clock', { body: { advance: 'PT3M' } });
  for (let i = 0; i < 400; i++) {
    const c = await callApi<{ status: string }>(admin, 'GET', `/cycles/${cycleId}`);
    if (c.body.status === 'OPEN') return cycleId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`cycle ${cycleId} did not open`);
}

/** The operator enters the list and issues the codes; returns the invitations (code + link). */
export async function inviteRespondents(operator: ApiTarget, cycleId: string, kode: string) {
  await callApi(operator, 'PUT', `/cycles/${cycleId}/regions/${kode}/survey/respondents`, {
    body: { respondents: respondentList() },
  });
  const issued = await callApi<{
    invitations: { code: string; link: string; name: string; category: string }[];
  }>(operator, 'POST', `/cycles/${cycleId}/regions/${kode}/survey/invitations`);
  return issued.body.invitations;
}
