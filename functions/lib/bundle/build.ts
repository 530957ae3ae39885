import { runKeys } from '#adapters/bucket-layout';
import type { Repositories, RunRecord } from '#adapters/dynamo/index';
import { asTransient } from '#adapters/transient';
import {
  BUNDLE_FORMAT,
  BUNDLE_PATHS,
  type BundleRun,
  buildManifest,
  type CodeInfo,
} from '#domain/bundle/index';
import { InternalError } from '#domain/errors';
import { type LedgerEntry, toJsonl } from '#domain/ledger/index';
import { canonicalJson } from '#domain/methodology/canonical-json';
import type { LoadedMethodology } from '#domain/methodology/load';
import { frozenMethodology } from '#domain/methodology/registry';
import { submissionSchema } from '#domain/submission';
import { answerCatalogue, applyDecisions } from '#domain/verification/index';
import type { NationalRegionResult } from '#functions/lib/national/contracts';
import { countDecisions } from '#functions/lib/verification/decisions';
import { mapLimit } from '#util/pool';
import { ranksCsv, resultsCsv } from './csv';
import { writeZip } from './zip';

/** The cycle's ledger, entries 1..seq in seq order (every entry when seq is absent). */
export interface BundleLedger {
  entriesUpTo(cycleId: string, seq?: number): Promise<LedgerEntry[]>;
}

export interface BundleObjects {
  getBytes(key: string): Promise<Buffer>;
}

export interface BundleDeps {
  repos: Pick<Repositories, 'cycles' | 'verification'>;
  objects: BundleObjects;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  ledger: BundleLedger;
  code: CodeInfo;
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * The ledger up to the run's publication: up to the head recorded on the run when it was published
 * (`ledgerHead`); for a run without one, up to its `run.final` (else `run.published`) entry, else
 * up to its publication time.
 */
async function ledgerAtPublication(run: RunRecord, ledger: BundleLedger): Promise<LedgerEntry[]> {
  if (run.ledgerHead) return ledger.entriesUpTo(run.cycleId, run.ledgerHead.seq);
  const all = await ledger.entriesUpTo(run.cycleId);
  const of = (action: string) => all.findLastIndex((e) => e.action === action && e.subject.run === run.runId);
  const published = Math.max(of('run.final'), of('run.published'));
  if (published >= 0) return all.slice(0, published + 1);
  const until = run.finalizedAt ?? run.completedAt;
  return until ? all.filter((e) => e.at <= until) : all;
}

/**
 * Every file of a published run's reproducibility bundle (docs/architecture.md "Reproducibility
 * bundle"), read from what the run froze: its results document, each scored region's frozen
 * submission, the verification decisions (and the verified submission they make), the cycle's
 * methodology in canonical form, the ledger up to publication, the code's version; then the
 * manifest over all of them. Deterministic for the same stored data and code.
 */
export async function bundleFiles(run: RunRecord, deps: BundleDeps): Promise<Map<string, Uint8Array>> {
  const { cycleId, runId } = run;
  const cycle = await deps.repos.cycles.get(cycleId);
  if (!cycle) throw new InternalError('CycleNotFound', `cycle ${cycleId} does not exist`);
  const methodology = frozenMethodology(run.methodology, deps.methodologyOf);
  const keys = runKeys(cycleId, runId);
  const read = (key: string) =>
    deps.objects.getBytes(key).catch((e: unknown) => asTransient(e, `reading ${key}`));

  const files = new Map<string, Uint8Array>();
  const resultsBytes = await read(run.resultKey ?? keys.results);
  const document = JSON.parse(resultsBytes.toString('utf8')) as { results: NationalRegionResult[] };
  files.set(BUNDLE_PATHS.results, resultsBytes);
  files.set(BUNDLE_PATHS.resultsCsv, utf8(resultsCsv(document.results)));
  files.set(BUNDLE_PATHS.ranksCsv, utf8(ranksCsv(document.results)));

  const { hash: _hash, ...source } = methodology;
  const methodologyFile = BUNDLE_PATHS.methodology(methodology.id);
  files.set(methodologyFile, utf8(canonicalJson(source)));

  const staged = (await deps.repos.verification.getStage(cycleId)) !== undefined;
  const scored = document.results.filter((r) => r.outcome === 'scored');
  await mapLimit(scored, 8, async (r) => {
    const bytes = await read(keys.frozenSubmission(r.kode));
    files.set(BUNDLE_PATHS.selfSubmission(r.kode), bytes);
    if (!staged) return;
    const [records, assignment] = await Promise.all([
      deps.repos.verification.listDecisions(cycleId, r.kode),
      deps.repos.verification.getAssignment(cycleId, r.kode),
    ]);
    if (records.length === 0) return;
    const submission = submissionSchema.parse(JSON.parse(bytes.toString('utf8')));
    const catalogue = answerCatalogue(methodology, submission);
    const counted = countDecisions(catalogue, records, assignment);
    const verified = applyDecisions(submission, catalogue, counted.counting);
    files.set(BUNDLE_PATHS.verifiedSubmission(r.kode), utf8(`${JSON.stringify(verified)}\n`));
    files.set(
      BUNDLE_PATHS.decisions(r.kode),
      utf8(
        `${JSON.stringify(
          {
            region: r.kode,
            counting: [...counted.counting].map(([answer, d]) => ({ ...d, answer })),
            awaitingAdjudication: counted.awaitingAdjudication,
            records: [...records].sort((a, b) => (`${a.slot}${a.answer}` < `${b.slot}${b.answer}` ? -1 : 1)),
          },
          null,
          1,
        )}\n`,
      ),
    );
  });

  const entries = await ledgerAtPublication(run, deps.ledger);
  files.set(BUNDLE_PATHS.ledger, utf8(toJsonl(entries)));
  const last = entries.at(-1);
  const head = last ? { seq: last.seq, hash: last.hash } : undefined;

  const runFile: BundleRun = {
    format: BUNDLE_FORMAT,
    cycleId,
    runId,
    index: cycle.index,
    period: cycle.period,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.finalizedAt ? { finalizedAt: run.finalizedAt } : {}),
    methodology: { id: methodology.id, hash: methodology.hash, file: methodologyFile },
    scoredFrom: 'submissions/self/',
    ledger: { entries: entries.length, ...(head ? { head } : {}) },
  };
  files.set(BUNDLE_PATHS.run, utf8(`${JSON.stringify(runFile, null, 2)}\n`));
  files.set(BUNDLE_PATHS.code, utf8(`${JSON.stringify(deps.code, null, 2)}\n`));
  files.set(BUNDLE_PATHS.manifest, utf8(`${JSON.stringify(buildManifest(files, deps.code), null, 2)}\n`));
  return files;
}

/** The bundle as one zip (byte-identical for the same files). */
export async function buildBundle(run: RunRecord, deps: BundleDeps): Promise<Buffer> {
  return writeZip(await bundleFiles(run, deps));
}
