import { afterEach, describe, expect, it, vi } from 'vitest';
import { CYCLE_OPTION, giveCycle, parseApiArgs } from '#cli/commands/api-args';

/** The preamble every command over the HTTP API shares: --json, --token, the API target. */
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseApiArgs', () => {
  it('adds --json and --token to the command options and aims at INDEKS_API with INDEKS_TOKEN', () => {
    vi.stubEnv('INDEKS_API', 'https://api.example.test//');
    vi.stubEnv('INDEKS_TOKEN', 'env-token');
    const parsed = parseApiArgs(['-c', 'c1', 'extra', '--status', 'LATE'], {
      cycle: CYCLE_OPTION,
      status: { type: 'string' },
    });
    expect(parsed.values).toEqual({ cycle: 'c1', status: 'LATE', json: false });
    expect(parsed.positionals).toEqual(['extra']);
    expect(parsed.target).toEqual({ baseUrl: 'https://api.example.test', token: 'env-token' });
  });

  it('takes --token over INDEKS_TOKEN, and sends no bearer when there is neither', () => {
    vi.stubEnv('INDEKS_API', 'http://127.0.0.1:9');
    vi.stubEnv('INDEKS_TOKEN', 'env-token');
    expect(parseApiArgs(['--token', 'flag-token', '--json'], {}).target).toEqual({
      baseUrl: 'http://127.0.0.1:9',
      token: 'flag-token',
    });
    vi.stubEnv('INDEKS_TOKEN', undefined);
    expect(parseApiArgs([], {}).target).toEqual({ baseUrl: 'http://127.0.0.1:9' });
  });

  it('refuses --json where the command has none and positionals where it takes none', () => {
    expect(() => parseApiArgs(['--json'], {}, { json: false })).toThrow(
      expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }),
    );
    expect(() => parseApiArgs(['c1'], {}, { positionals: false })).toThrow(
      expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' }),
    );
  });

  it('asks for the cycle in Bahasa Indonesia first, then English', () => {
    expect(giveCycle()).toMatchObject({
      message_id: 'Isi --cycle <cycleId>.',
      message_en: 'Give --cycle <cycleId>.',
    });
  });
});
