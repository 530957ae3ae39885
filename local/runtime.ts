import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { followProductClock } from '#adapters/clock';
import { writeFileAtomic } from './atomic-file';
import { clockOffsetFor, issuerConfig } from './auth/issuer';
import { loadOrCreateSigningKey } from './auth/keys';
import { createOidcIssuer } from './auth/oidc';
import { mintToken, type TokenRequest } from './auth/tokens';
import { LocalClock, parseDuration } from './clock';
import { dataLayout, PORTS, type PortName, type Ports, PROJECT_ROOT, TEMPLATE_CACHE_DIR } from './config';
import { LOCAL_CREDENTIALS } from './credentials';
import { installEnvOverlay, setProcessEnv } from './env';
import { EventBus } from './events/bus';
import { objectCreatedEvent } from './events/s3-event';
import { executionStatusChangeEvent } from './events/sfn-event';
import { createApiServer } from './http/api-server';
import { isJsonObject, type JsonObject, throughJson } from './json';
import { type HandlerOverrides, type InvokeResult, LambdaRuntime } from './lambda/invoke';
import { FunctionRegistry } from './lambda/registry';
import { lockDataDir, stoppedUncleanly } from './lock';
import { consoleLogger, errorText, type Logger } from './log';
import { close, ensurePortsFree, HOST, listen } from './ports';
import { buildReport, type RuntimeReport } from './report';
import type { Fired } from './scheduler/scheduler';
import { LocalScheduler } from './scheduler/scheduler';
import { createServicesServer } from './services-server';
import { compileMachine } from './stepfunctions/definition';
import { StepFunctionsService } from './stepfunctions/service';
import { createDynamoServer, ensureTables, localClient, repairDynamoIndexes } from './storage/dynamo';
import { createS3Emulator, ensureBuckets, localS3Client } from './storage/s3';
import { applySurveyEnvironment } from './survey-env';
import { type LoadedTemplate, loadTemplate } from './template/load';
import { LocalTemplate } from './template/model';

export interface RuntimeOptions {
  /** Where DynamoDB, S3, executions, schedules, the clock and the signing key persist. */
  dataDir: string;
  /** 0 = any free port (tests). `services` serves Step Functions and Scheduler (default: free port). */
  ports: Partial<Ports> & Pick<Ports, 'api' | 's3' | 'dynamodb'>;
  /** The runtime's clock; by default the one persisted in the data folder. */
  clock?: LocalClock;
  /** Sets the clock offset at start (`--clock-offset`), e.g. `PT48H`. */
  clockOffset?: string;
  logger?: Logger;
  /** Handlers replacing function modules (tests, while handlers are being written). */
  handlers?: HandlerOverrides;
  /** A synthesized template to use instead of synthesizing (or reading the cache). */
  template?: Omit<LoadedTemplate, 'cached'>;
  projectRoot?: string;
  cacheDir?: string;
  /** Waits between asynchronous-invoke retries (default 1 s, 2 s). */
  asyncRetryDelaysMs?: readonly number[];
  /** Requests per client per minute on the survey form (`--survey-client-limit`); default strict. */
  surveyClientLimit?: number;
}

export interface RuntimeUrls {
  api: string;
  s3: string;
  dynamodb: string;
  services: string;
}

export interface Runtime {
  urls: RuntimeUrls;
  dataDir: string;
  template: LocalTemplate;
  clock: LocalClock;
  /** The environment contract handlers rely on (also set in process.env while running). */
  env: Record<string, string>;
  report: RuntimeReport;
  lambda: LambdaRuntime;
  stepFunctions: StepFunctionsService;
  scheduler: LocalScheduler;
  events: EventBus;
  /** Milliseconds from startRuntime() to ready. */
  startupMs: number;
  /** Whether the template came from the cache (no CDK synth this start). */
  templateCached: boolean;
  /** Moves the clock forward and fires what became due; resolves with what fired. */
  advanceClock(by: string | number): Promise<Fired[]>;
  /** Jumps the clock to an instant (ISO) and fires what became due. */
  setClock(instant: string): Promise<Fired[]>;
  mintToken(request: TokenRequest): Promise<string>;
  /** Invokes a function (entry `functions/x.ts`, name, logical id or ARN) synchronously. */
  invoke(reference: string, event: unknown): Promise<InvokeResult>;
  /** Resolves once no invocation, execution or event delivery is in progress. */
  idle(): Promise<void>;
  /** Imports every function's module and checks it exports `handler` (what a deploy would need). */
  verifyHandlers(): Promise<{ entry: string; ok: boolean; error?: string }[]>;
  stop(): Promise<void>;
}

/**
 * Endpoint variables every AWS SDK v3 client honours, so handler code has no local branch.
 * AWS_ENDPOINT_URL is the fallback for every other service: a dead port, so a call to a service
 * that is not emulated (or a Task that escaped its override: Lambda) fails at once, offline.
 */
export function endpointEnvironment(urls: RuntimeUrls, region: string): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_SFN: urls.services,
    AWS_ENDPOINT_URL_SCHEDULER: urls.services,
    AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Lambda runs in UTC; a laptop in WIB must not format dates differently than production.
    TZ: 'UTC',
  };
}

let portsOfFirstRuntime: string | undefined;

/** How long stop() waits for handlers still running before closing the servers under them. */
const STOP_GRACE_MS = 5000;

/**
 * Starts the whole system in this process: dynalite and the local S3 on disk, tables and buckets from
 * the synthesized template, the state machines, the event rule, the schedules and the HTTP API,
 * all calling the real handler modules. Used by `indeks start` and, on free ports, by tests.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const started = performance.now();
  const logger = options.logger ?? consoleLogger;
  let last = started;
  const phase = (name: string) => {
    const now = performance.now();
    logger.debug(`start: ${name} ${Math.round(now - last)} ms`);
    last = now;
  };
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const dataDir = resolve(options.dataDir);
  const layout = dataLayout(dataDir);
  const requested: Ports = { services: 0, ...options.ports };
  const names = Object.keys(PORTS) as PortName[];
  await ensurePortsFree(names.map((n) => ({ ...PORTS[n], port: requested[n] })));

  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch (error) {
        logger.warn(`berhenti / stopping: ${errorText(error)}`);
      }
    }
    cleanups.length = 0;
  };
  try {
    await mkdir(dataDir, { recursive: true });
    const unclean = await stoppedUncleanly(layout.lock);
    cleanups.push(await lockDataDir(layout.lock, dataDir));

    const [loaded, key, storedOffset] = await Promise.all([
      options.template
        ? Promise.resolve({ ...options.template, cached: true })
        : loadTemplate({ projectRoot, cacheDir: options.cacheDir ?? TEMPLATE_CACHE_DIR, logger }),
      loadOrCreateSigningKey(dataDir),
      clockOffsetFor(dataDir),
    ]);
    phase(loaded.cached ? 'template (cached), signing key' : 'template (synthesized), signing key');
    const template = new LocalTemplate(loaded.stackName, loaded.template);
    const region = template.region;

    const clock = options.clock ?? new LocalClock(storedOffset);
    if (options.clockOffset !== undefined) clock.setOffset(parseDuration(options.clockOffset));
    // Product code reads this clock through its port; the global Date stays real for the emulators.
    const undoProductClock = followProductClock(() => clock.now());
    const offClock = clock.onChange(() => {
      void writeFileAtomic(layout.clock, JSON.stringify({ offsetMs: clock.offsetMs })).catch(() => {});
    });
    cleanups.push(() => {
      offClock();
      undoProductClock();
    });
    if (clock.offsetMs !== storedOffset)
      await writeFileAtomic(layout.clock, JSON.stringify({ offsetMs: clock.offsetMs }));

    const registry = new FunctionRegistry(template.functions());
    const machines = template.stateMachines().map((m) => compileMachine(m, registry));
    const apis = template.httpApis();
    if (apis.length > 1)
      throw new Error(`expected at most one HTTP API in the template, found ${apis.length}`);
    const api = apis[0] ?? { logicalId: '', apiId: 'none', cors: undefined, routes: [] };

    phase('model');
    // Servers first (ports known), then the environment that points at them.
    const dynamoServer = createDynamoServer(layout.dynamodb);
    const s3 = await createS3Emulator(layout.s3, { now: () => clock.now(), region });
    if (s3.imported > 0)
      logger.info(
        `S3: ${s3.imported} objek diimpor dari s3rver / objects imported from s3rver (${layout.s3}/s3rver-imported)`,
      );
    for (const q of s3.quarantined)
      logger.warn(
        `S3: objek tidak utuh dikarantina / incomplete object quarantined: ${q.bucket}${q.key ? `/${q.key}` : ''} → ${q.movedTo} (${q.reason})`,
      );
    const servers: Server[] = [];
    const start = async (server: Server, name: PortName) => {
      const port = await listen(server, { ...PORTS[name], port: requested[name] });
      servers.push(server);
      return port;
    };
    cleanups.push(async () => {
      await Promise.all(servers.map(close));
    });
    const [dynamoPort, s3Port] = await Promise.all([start(dynamoServer, 'dynamodb'), start(s3.server, 's3')]);
    phase('dynalite, s3');
    if (unclean) {
      const repaired = await repairDynamoIndexes(dynamoServer);
      if (repaired.written + repaired.deleted > 0)
        logger.warn(
          `DynamoDB: indeks diperbaiki setelah berhenti tidak wajar / indexes repaired after an unclean stop: ${repaired.written} entri ditulis/written, ${repaired.deleted} dihapus/deleted (${repaired.items} item)`,
        );
      phase('index check');
    }
    const dynamo = localClient(dynamoPort, region);
    const s3Client = localS3Client(s3Port, region);
    cleanups.push(() => {
      dynamo.destroy();
      s3Client.destroy();
    });
    const [tablesCreated, bucketsCreated] = await Promise.all([
      ensureTables(dynamo, template.tables(), logger),
      ensureBuckets(s3Client, template.buckets()),
    ]);

    phase('tables, buckets');
    const lambda = new LambdaRuntime({
      projectRoot,
      registry,
      region,
      logger,
      overrides: options.handlers,
      asyncRetryDelaysMs: options.asyncRetryDelaysMs,
      deadLetterFile: layout.deadLetters,
    });
    const stepFunctions = new StepFunctionsService({
      machines,
      lambda,
      dynamo,
      s3: s3Client,
      logger,
      storeFile: layout.executions,
      validationCacheDir: options.cacheDir ?? TEMPLATE_CACHE_DIR,
    });
    await Promise.all([stepFunctions.prepare(), stepFunctions.load()]);
    const scheduleGroups = template.scheduleGroups();
    const scheduler = new LocalScheduler({
      clock,
      lambda,
      logger,
      groups: scheduleGroups,
      region,
      accountId: template.accountId,
      storeFile: layout.schedules,
    });
    await scheduler.load(
      template.schedules().map((s) => ({
        Name: s.name,
        GroupName: s.groupName,
        ScheduleExpression: s.properties.ScheduleExpression,
        ...(s.properties.ScheduleExpressionTimezone
          ? { ScheduleExpressionTimezone: s.properties.ScheduleExpressionTimezone }
          : {}),
        ...(s.properties.Description ? { Description: s.properties.Description } : {}),
        State: s.properties.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        FlexibleTimeWindow: s.properties.FlexibleTimeWindow,
        Target: targetObject(s.properties.Target),
      })),
    );
    phase('step functions, scheduler');
    const events = new EventBus(template.rules(), lambda, logger);
    const eventBuckets = new Set(
      template
        .buckets()
        .filter((b) => b.eventBridge)
        .map((b) => b.name),
    );
    const deliveries = new Set<Promise<unknown>>();
    const deliver = (event: JsonObject) => {
      const delivery = events.put(event);
      const tracked = delivery.catch((error: unknown) => logger.error(`EventBridge: ${errorText(error)}`));
      deliveries.add(tracked);
      void tracked.finally(() => deliveries.delete(tracked));
      return delivery;
    };
    s3.onRecord((record) => {
      if (!eventBuckets.has(record.s3.bucket.name)) return;
      const event = objectCreatedEvent(record, region, template.accountId);
      if (event) void deliver(event);
    });
    // Step Functions execution status changes, as AWS sends them to the default bus.
    stepFunctions.onStatusChange((record) =>
      deliver(executionStatusChangeEvent(record, region, template.accountId)),
    );

    const issuer = issuerConfig(template);
    const mint = (request: TokenRequest) =>
      mintToken(key, issuer, { ...request, now: request.now ?? clock.now() });
    const move = async (to: () => void): Promise<Fired[]> => {
      to();
      return scheduler.tick();
    };
    const servicesServer = createServicesServer(stepFunctions, scheduler, scheduleGroups, logger);
    const servicesPort = await start(servicesServer, 'services');
    const urls: RuntimeUrls = {
      api: '',
      s3: `http://${HOST}:${s3Port}`,
      dynamodb: `http://${HOST}:${dynamoPort}`,
      services: `http://${HOST}:${servicesPort}`,
    };
    const env = endpointEnvironment(urls, region);
    cleanups.push(
      setProcessEnv({
        ...env,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
      }),
    );
    cleanups.push(installEnvOverlay());
    await mkdir(resolve(layout.auth, '..'), { recursive: true });
    await writeFileAtomic(layout.auth, JSON.stringify(issuer, null, 2));

    const apiServer = createApiServer({
      api,
      lambda,
      key,
      accountId: template.accountId,
      logger,
      oidc: {
        handler: createOidcIssuer({ key, config: issuer, now: () => clock.now() }),
        clientId: issuer.clientId,
      },
      uploadOrigin: urls.s3,
      adminAuthorizer: {
        logicalId: 'LocalAdmin',
        issuer: issuer.issuer,
        audience: [issuer.clientId],
        identitySource: ['$request.header.Authorization'],
      },
      admin: {
        getClock: () => ({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs }),
        moveClock: async (body) => {
          const fired =
            typeof body.advance === 'string'
              ? await move(() => clock.advance(parseDuration(String(body.advance))))
              : typeof body.now === 'string'
                ? await move(() => clock.set(Date.parse(String(body.now))))
                : [];
          return { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs, fired };
        },
        mintToken: async (body) => ({
          token: await mint({
            role: String(body.role ?? ''),
            ...(typeof body.region === 'string' ? { region: body.region } : {}),
            ...(typeof body.province === 'string' ? { province: body.province } : {}),
            ...(body.tokenUse === 'access' ? { tokenUse: 'access' as const } : {}),
          }),
        }),
        jwks: () => ({ keys: [key.publicJwk] }),
        deadLetters: () => ({ deadLetters: lambda.deadLetters }),
      },
    });
    const apiPort = await start(apiServer, 'api');
    urls.api = `http://${HOST}:${apiPort}`;
    applySurveyEnvironment(registry.functions, {
      apiUrl: urls.api,
      ...(options.surveyClientLimit !== undefined ? { surveyClientLimit: options.surveyClientLimit } : {}),
    });
    phase('api');
    scheduler.tick().catch((error: unknown) => logger.error(`scheduler: ${errorText(error)}`));
    // Executions the previous process left running were settled ABORTED on load: tell the rules.
    const settling = stepFunctions.notifyPending();
    deliveries.add(settling);
    void settling.finally(() => deliveries.delete(settling));

    const portsKey = `${dynamoPort}/${s3Port}/${servicesPort}`;
    portsOfFirstRuntime ??= portsKey;
    if (portsOfFirstRuntime !== portsKey) {
      logger.warn(
        'runtime kedua di proses ini dengan port lain: klien SDK handler menyimpan endpoint pertamanya / a second runtime in this process on other ports: handlers keep their SDK clients (and endpoints) from the first',
      );
    }

    const idle = async () => {
      for (let round = 0; round < 10; round++) {
        await Promise.allSettled([...deliveries]);
        await stepFunctions.idle();
        await lambda.idle();
        if (deliveries.size === 0) return;
      }
    };
    let stopped = false;
    const runtime: Runtime = {
      urls,
      dataDir,
      template,
      clock,
      env,
      report: buildReport({
        template,
        machines,
        registry,
        tablesCreated,
        bucketsCreated,
        api,
        events,
        scheduler,
      }),
      lambda,
      stepFunctions,
      scheduler,
      events,
      startupMs: performance.now() - started,
      templateCached: loaded.cached,
      advanceClock: (by) => move(() => clock.advance(typeof by === 'number' ? by : parseDuration(by))),
      setClock: (instant) => move(() => clock.set(Date.parse(instant))),
      mintToken: mint,
      invoke: (reference, event) => lambda.invoke(registry.get(reference), event, 'direct'),
      idle,
      verifyHandlers: async () =>
        Promise.all(
          registry.functions.map(async (fn) => {
            try {
              await lambda.loadHandler(fn);
              return { entry: fn.entry ?? fn.logicalId, ok: true };
            } catch (error) {
              return { entry: fn.entry ?? fn.logicalId, ok: false, error: errorText(error) };
            }
          }),
        ),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await scheduler.stop();
        lambda.stop();
        await stepFunctions.close();
        await Promise.allSettled([...deliveries]);
        // Handlers cannot be interrupted; give running ones a moment, then close under them.
        const running = lambda.idle();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
        await Promise.race([running, grace]);
        await cleanup();
      },
    };
    return runtime;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function targetObject(target: unknown): JsonObject {
  const json = throughJson(target);
  if (!isJsonObject(json)) throw new Error('schedule target is not an object');
  return json;
}
