import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type ApiTarget, apiTarget } from '../api-client';
import { UsageError } from '../errors';

/**
 * The argument preamble of the commands over the HTTP API. The API is `INDEKS_API` (default the
 * local runtime); `--token` is the bearer, else `INDEKS_TOKEN`; `--json` prints the API's answer as
 * it is. Help (`--help`) and parse errors (exit 2) are handled once, in `cli/main.ts`.
 */
type Options = NonNullable<ParseArgsConfig['options']>;

const TOKEN_OPTION = { token: { type: 'string' } } as const;
const JSON_OPTION = { json: { type: 'boolean', default: false } } as const;

/** `--cycle <cycleId>`, `-c` for short. */
export const CYCLE_OPTION = { type: 'string', short: 'c' } as const;

interface Shape {
  /** Whether the command takes positional arguments (default: yes). */
  positionals?: boolean;
  /** Whether the command has `--json` (default: yes). */
  json?: boolean;
}

type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: boolean; options: O }>
> & { target: ApiTarget };

export function parseApiArgs<const O extends Options>(
  args: string[],
  options: O,
  shape?: Shape & { json?: true },
): Parsed<typeof JSON_OPTION & typeof TOKEN_OPTION & O>;
export function parseApiArgs<const O extends Options>(
  args: string[],
  options: O,
  shape: Shape & { json: false },
): Parsed<typeof TOKEN_OPTION & O>;
export function parseApiArgs(args: string[], options: Options, shape: Shape = {}) {
  const parsed = parseArgs({
    args,
    allowPositionals: shape.positionals ?? true,
    options: { ...(shape.json === false ? {} : JSON_OPTION), ...TOKEN_OPTION, ...options },
  });
  const token = parsed.values.token;
  return { ...parsed, target: apiTarget(process.env, typeof token === 'string' ? token : undefined) };
}

/** The refusal of a command that takes `--cycle` and nothing else positional. */
export const giveCycle = () => new UsageError('Isi --cycle <cycleId>.', 'Give --cycle <cycleId>.');
