import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '#adapters/dynamo/index';
import { completenessOf, isComplete } from '#domain/completeness';
import { DomainError } from '#domain/errors';
import { submissionSchema } from '#domain/submission';
import { toSubmissionJson } from '#domain/submission-json';
import { executionInputSchema, parsePayload } from '#functions/lib/submissions/contract';
import { failureOf } from '#functions/lib/submissions/failure';
import { countProblems, tooLargeProblem, type ValidationReport } from '#functions/lib/submissions/report';
import { MAX_INLINE_PROBLEMS, needsLink, submissionDetail } from '#functions/lib/submissions/views';
import { admitUpload } from '#functions/lib/submissions/window';
import { HTTP_STATUS } from '#http/errors';

describe('task payloads', () => {
  const input = { cycleId: 'iid-2026', kode: '18.01', submissionId: 's-1', bucket: 'b', key: 'k' };

  it('accepts the execution input with or without a version id', () => {
    expect(parsePayload(executionInputSchema, input, 'x')).toEqual(input);
    expect(parsePayload(executionInputSchema, { ...input, versionId: null }, 'x')).toMatchObject({
      versionId: null,
    });
    expect(parsePayload(executionInputSchema, { ...input, validation: { valid: true } }, 'x')).toEqual(input);
  });

  it('a contract violation is a BadInput error naming every field (not retried)', () => {
    const error = (() => {
      try {
        parsePayload(
          executionInputSchema,
          { ...input, kode: '1801', submissionId: 'a#b', bucket: '' },
          'Validate input',
        );
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.name).toBe('BadInput');
    expect(error?.message).toMatch(/^Validate input: kode: .*submissionId: .*bucket: /);
  });
});

describe('failure reasons', () => {
  it("keeps Lambda's error message, drops its stack trace", () => {
    const failure = failureOf({
      Error: 'MethodologyUnavailable',
      Cause: JSON.stringify({
        errorType: 'MethodologyUnavailable',
        errorMessage: 'hash differs',
        trace: ['at x'],
      }),
    });
    expect(failure).toMatchObject({ error: 'MethodologyUnavailable', cause: 'hash differs' });
    expect(failure.reason).toMatch(
      /^Pemrosesan berkas gagal \(MethodologyUnavailable\).* \| Processing the file failed/,
    );
  });

  it('takes any other cause as text, cut short, and copes with nothing at all', () => {
    expect(failureOf({ Error: 'Indeks.BadValidationResult', Cause: 'must return valid' }).cause).toBe(
      'must return valid',
    );
    expect(failureOf({ Error: 'X', Cause: 'y'.repeat(5000) }).cause).toHaveLength(1000);
    expect(failureOf(undefined)).toMatchObject({ error: 'Unknown' });
    expect(failureOf(undefined)).not.toHaveProperty('cause');
  });

  it('never shows a JavaScript error name to the operator; the admin still finds it in `error`', () => {
    const failure = failureOf({ Error: 'RangeError', Cause: 'Invalid string length' });
    expect(failure.error).toBe('RangeError');
    expect(failure.reason).not.toMatch(/RangeError|Invalid string length/);
    expect(failure.reason).toMatch(/^Pemrosesan berkas gagal; .* \| Processing the file failed; /);
  });
});

describe('reports', () => {
  it('counts errors and warnings, and words the size refusal in both languages', () => {
    const big = tooLargeProblem('isian.xlsx', 12 * 1048576, 10 * 1048576);
    expect(big).toMatchObject({
      code: 'FILE_TOO_LARGE',
      severity: 'error',
      location: { file: 'isian.xlsx' },
    });
    expect(big.message_id).toContain('12.0 MB');
    expect(big.message_en).toContain('10.0 MB limit');
    expect(countProblems([big, { ...big, severity: 'warning' }, big])).toEqual({ errors: 2, warnings: 1 });
  });
});

describe('upload window', () => {
  const cycle = (calendar: Partial<CycleRecord['calendar']>, status: CycleRecord['status'] = 'OPEN') =>
    ({
      cycleId: 'iid-2026',
      status,
      calendar: {
        timeZone: 'Asia/Jakarta',
        opensAt: '2026-02-01T00:00:00+07:00',
        closesAt: '2026-03-31T23:59:00+07:00',
        extensions: [],
        nationalRunAt: '2026-05-01T00:00:00+07:00',
        ...calendar,
      },
    }) as CycleRecord;
  const at = (iso: string) => new Date(iso);
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof DomainError ? { status: HTTP_STATUS[e.kind], code: e.code, id: e.message_id } : e;
    }
    return undefined;
  };

  it('is open until the whole deadline minute 23:59 WIB has passed', () => {
    expect(admitUpload(cycle({}), at('2026-03-31T23:59:59+07:00'))).toMatchObject({
      state: 'open',
      deadline: '2026-03-31T23:59:00+07:00',
      deadlineWib: '31-03-2026 23:59 WIB',
    });
    expect(refusal(() => admitUpload(cycle({}), at('2026-04-01T00:00:00+07:00')))).toEqual({
      status: 409,
      code: 'WINDOW_CLOSED',
      id: 'Jendela pengajuan sudah ditutup pada 31-03-2026 23:59 WIB. Hubungi admin bila ada perpanjangan.',
    });
  });

  it('honours the last extension and the grace; refuses before opening and once assessed', () => {
    const extended = cycle({
      extensions: [
        { until: '2026-04-07T23:59:00+07:00', reason: 'banjir', decidedAt: '2026-03-30T10:00:00+07:00' },
      ],
    });
    expect(admitUpload(extended, at('2026-04-05T12:00:00+07:00')).state).toBe('open');
    expect(admitUpload(cycle({ graceMinutes: 30 }), at('2026-04-01T00:20:00+07:00')).state).toBe('grace');
    expect(refusal(() => admitUpload(cycle({}), at('2026-01-31T12:00:00+07:00')))).toMatchObject({
      status: 409,
      code: 'WINDOW_NOT_OPEN',
    });
    expect(refusal(() => admitUpload(cycle({}, 'ASSESSING'), at('2026-03-01T12:00:00+07:00')))).toMatchObject(
      { status: 409, code: 'CYCLE_ASSESSING' },
    );
  });
});

describe('completeness', () => {
  it('an accepted upload counts whatever came after it; otherwise the latest decides', () => {
    expect(completenessOf(undefined)).toBe('not-submitted');
    expect(completenessOf({ latest: { status: 'UPLOADED' } })).toBe('in-progress');
    expect(completenessOf({ latest: { status: 'VALIDATING' } })).toBe('in-progress');
    expect(completenessOf({ latest: { status: 'REJECTED' } })).toBe('rejected');
    expect(completenessOf({ latest: { status: 'FAILED' } })).toBe('failed');
    expect(completenessOf({ latest: { status: 'REJECTED' }, current: { status: 'ACCEPTED' } })).toBe(
      'accepted',
    );
    expect(completenessOf({ latest: { status: 'UPLOADED' }, current: { status: 'SCORED' } })).toBe('scored');
    expect([isComplete('accepted'), isComplete('scored'), isComplete('rejected')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('canonical submission JSON', () => {
  it('round-trips through the submission schema, group item fields included', () => {
    const submission = submissionSchema.parse({
      methodology: 'mini-iid',
      methodologyHash: 'sha256:abc',
      region: '18.01',
      period: 2023,
      profile: { kapasitasFiskal: 'tinggi' },
      indicators: { '1': { level: 3, evidence: 'visi.pdf' }, '4': { value: 5.1 } },
      groups: {
        inovasi: [
          { id: 'INV-1', name: 'Si Cepat', urusan: 'kesehatan', tahun: 2021, indicators: { '16': 2 } },
          { id: 'INV-2', status: 'rejected', urusan: 'pendidikan' },
        ],
      },
    });
    const json = JSON.parse(JSON.stringify(toSubmissionJson(submission)));
    expect(json.groups.inovasi[0]).toMatchObject({ id: 'INV-1', urusan: 'kesehatan', tahun: 2021 });
    expect(json.groups.inovasi[0]).not.toHaveProperty('fields');
    expect(submissionSchema.parse(json)).toEqual(submission);
  });
});

describe('submission detail view', () => {
  const problem = (i: number) => ({
    code: 'UNKNOWN_CODE',
    severity: 'warning' as const,
    location: { row: i },
    message_id: 'x',
    message_en: 'x',
  });
  const report = (count: number) => ({
    found: true as const,
    value: {
      methodology: { id: 'iid-2023', hash: 'sha256:r' },
      problems: Array.from({ length: count }, (_, i) => problem(i + 1)),
      counts: { errors: 0, warnings: count },
    } as unknown as ValidationReport,
  });

  it('inlines at most MAX_INLINE_PROBLEMS problems and links the rest', () => {
    expect(needsLink(report(MAX_INLINE_PROBLEMS))).toBe(false);
    expect(needsLink(report(MAX_INLINE_PROBLEMS + 1))).toBe(true);
    expect(needsLink({ found: false, tooLarge: true })).toBe(true);
    expect(needsLink({ found: false, tooLarge: false })).toBe(false);
    expect(needsLink(undefined)).toBe(false);
    const detail = submissionDetail({
      submission: {
        cycleId: 'c',
        kode: '18.01',
        provinsi: '18',
        submissionId: 's-1',
        status: 'ACCEPTED',
        history: [],
        object: { bucket: 'b', key: 'k' },
        uploadedAt: 't',
        createdAt: 't',
        updatedAt: 't',
      },
      pointers: undefined,
      cycle: { methodology: { id: 'iid-2023', hash: 'sha256:c' } } as CycleRecord,
      card: undefined,
      report: report(MAX_INLINE_PROBLEMS + 3),
      trace: undefined,
      links: { reportUrl: 'https://signed' },
    });
    expect(detail.report?.problems).toHaveLength(MAX_INLINE_PROBLEMS);
    expect(detail).toMatchObject({
      methodology: { hash: 'sha256:r' },
      report: { problemsTruncated: true },
      reportUrl: 'https://signed',
    });
    expect(detail).not.toHaveProperty('scoreCard');
  });
});
