import {
  cyclesCommand,
  cyclesHelp,
  resultsCommand,
  resultsHelp,
  statusCommand,
  statusHelp,
} from './commands/api-commands';
import { demoCommand, demoHelp } from './commands/demo';
import { methodologiesCommand, methodologiesHelp } from './commands/methodologies';
import { scoreCommand, scoreHelp } from './commands/score';
import { startCommand, startHelp } from './commands/start';
import { templateCommand, templateHelp } from './commands/template';
import { tokenCommand, tokenHelp } from './commands/token';
import { uploadCommand, uploadHelp } from './commands/upload';
import { validateCommand, validateHelp } from './commands/validate';
import { consoleOutput, EXIT_OK, EXIT_USAGE, type Output, reportFailure, UsageError } from './errors';

interface Command {
  summary: string;
  help: string;
  run: (args: string[], io: Output) => number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  methodologies: {
    summary: 'daftar metodologi / list methodologies',
    help: methodologiesHelp,
    run: methodologiesCommand,
  },
  score: {
    summary: 'hitung indeks satu pengajuan / score one submission',
    help: scoreHelp,
    run: scoreCommand,
  },
  validate: {
    summary: 'periksa berkas pengajuan / validate a submission file',
    help: validateHelp,
    run: validateCommand,
  },
  template: {
    summary: 'buat templat XLSX / generate the XLSX template',
    help: templateHelp,
    run: templateCommand,
  },
  cycles: { summary: 'siklus penilaian / assessment cycles', help: cyclesHelp, run: cyclesCommand },
  status: { summary: 'status pengajuan / submission status', help: statusHelp, run: statusCommand },
  results: {
    summary: 'peringkat dan kartu skor / rankings and score cards',
    help: resultsHelp,
    run: resultsCommand,
  },
  demo: { summary: 'demo nasional 552 wilayah / the national demo', help: demoHelp, run: demoCommand },
  upload: {
    summary: 'unggah berkas lewat tautan presigned / upload a file through a presigned POST',
    help: uploadHelp,
    run: uploadCommand,
  },
  start: {
    summary: 'jalankan seluruh sistem secara lokal / run the whole system locally',
    help: startHelp,
    run: startCommand,
  },
  token: {
    summary: 'token pengembangan untuk API lokal / development token for the local API',
    help: tokenHelp,
    run: tokenCommand,
  },
};

export const USAGE = `indeks <perintah/command> [opsi/options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  .join('\n')}

indeks <command> --help untuk rincian / for details.`;

export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  const [name, ...args] = argv;
  const json = args.includes('--json');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Perintah "${name}" tidak dikenal.\nUnknown command "${name}".\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isParseArgsError(error)) return reportFailure(new UsageError(error.message, error.message), io, json);
    return reportFailure(error, io, json);
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
