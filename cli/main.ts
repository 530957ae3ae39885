import { consoleOutput, EXIT_OK, EXIT_USAGE, type Output, reportFailure, UsageError } from './errors';

interface Loaded {
  help: string;
  run: (args: string[], io: Output) => number | Promise<number>;
}

interface Command {
  summary: string;
  /** Each command is imported only when used: `indeks score` never loads the emulators. */
  load: () => Promise<Loaded>;
}

const COMMANDS: Record<string, Command> = {
  methodologies: {
    summary: 'daftar metodologi / list methodologies',
    load: async () => {
      const m = await import('./commands/methodologies');
      return { help: m.methodologiesHelp, run: m.methodologiesCommand };
    },
  },
  score: {
    summary: 'hitung indeks satu pengajuan / score one submission',
    load: async () => {
      const m = await import('./commands/score');
      return { help: m.scoreHelp, run: m.scoreCommand };
    },
  },
  validate: {
    summary: 'periksa berkas pengajuan / validate a submission file',
    load: async () => {
      const m = await import('./commands/validate');
      return { help: m.validateHelp, run: m.validateCommand };
    },
  },
  template: {
    summary: 'buat templat XLSX / generate the XLSX template',
    load: async () => {
      const m = await import('./commands/template');
      return { help: m.templateHelp, run: m.templateCommand };
    },
  },
  cycles: {
    summary: 'siklus penilaian / assessment cycles',
    load: async () => {
      const m = await import('./commands/api-commands');
      return { help: m.cyclesHelp, run: m.cyclesCommand };
    },
  },
  status: {
    summary: 'status pengajuan / submission status',
    load: async () => {
      const m = await import('./commands/api-commands');
      return { help: m.statusHelp, run: m.statusCommand };
    },
  },
  results: {
    summary: 'peringkat dan kartu skor / rankings and score cards',
    load: async () => {
      const m = await import('./commands/api-commands');
      return { help: m.resultsHelp, run: m.resultsCommand };
    },
  },
  redrive: {
    summary: 'pulihkan pengajuan macet / drive stuck submissions',
    load: async () => {
      const m = await import('./commands/redrive');
      return { help: m.redriveHelp, run: m.redriveCommand };
    },
  },
  'not-admitted': {
    summary: 'unggahan tidak diterima (NOT_GRANTED/LATE) / uploads not admitted',
    load: async () => {
      const m = await import('./commands/not-admitted');
      return { help: m.notAdmittedHelp, run: m.notAdmittedCommand };
    },
  },
  upload: {
    summary: 'unggah berkas lewat tautan presigned / upload a file through a presigned POST',
    load: async () => {
      const m = await import('./commands/upload');
      return { help: m.uploadHelp, run: m.uploadCommand };
    },
  },
  decisions: {
    summary: 'unggah lembar keputusan verifikasi / upload a verification decision sheet',
    load: async () => {
      const m = await import('./commands/decisions');
      return { help: m.decisionsHelp, run: m.decisionsCommand };
    },
  },
  bundle: {
    summary: "unduh bundel reproduksi / download a run's reproducibility bundle",
    load: async () => {
      const m = await import('./commands/bundle');
      return { help: m.bundleHelp, run: m.bundleCommand };
    },
  },
  reproduce: {
    summary: 'hitung ulang bundel tanpa jaringan / recompute a bundle offline',
    load: async () => {
      const m = await import('./commands/reproduce');
      return { help: m.reproduceHelp, run: m.reproduceCommand };
    },
  },
  ledger: {
    summary: 'periksa rantai buku besar / verify the ledger chain',
    load: async () => {
      const m = await import('./commands/ledger');
      return { help: m.ledgerHelp, run: m.ledgerCommand };
    },
  },
  demo: {
    summary: 'demo nasional 552 wilayah / the national demo',
    load: async () => {
      const m = await import('./commands/demo');
      return { help: m.demoHelp, run: m.demoCommand };
    },
  },
  start: {
    summary: 'jalankan seluruh sistem secara lokal / run the whole system locally',
    load: async () => {
      const m = await import('./commands/start');
      return { help: m.startHelp, run: m.startCommand };
    },
  },
  token: {
    summary: 'token pengembangan untuk API lokal / development token for the local API',
    load: async () => {
      const m = await import('./commands/token');
      return { help: m.tokenHelp, run: m.tokenCommand };
    },
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
  const loaded = await command.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.out(loaded.help);
    return EXIT_OK;
  }
  try {
    return await loaded.run(args, io);
  } catch (error) {
    if (isParseArgsError(error)) return reportFailure(new UsageError(error.message, error.message), io, json);
    return reportFailure(error, io, json);
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
