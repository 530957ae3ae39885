import { setTimeout as sleep } from 'node:timers/promises';
import { type Problem, ProblemError, problem } from '#domain/problems';

/** The API the CLI talks to: `INDEKS_API` (default the local runtime), with `INDEKS_TOKEN` as bearer. */
export interface ApiTarget {
  baseUrl: string;
  token?: string;
}

export const DEFAULT_API = 'http://127.0.0.1:3000';

export function apiTarget(env: NodeJS.ProcessEnv = process.env, token?: string): ApiTarget {
  const baseUrl = (env.INDEKS_API ?? DEFAULT_API).replace(/\/+$/, '');
  const bearer = token ?? env.INDEKS_TOKEN;
  return { baseUrl, ...(bearer ? { token: bearer } : {}) };
}

interface ProblemDocument {
  title?: string;
  status?: number;
  detail?: string;
  detail_id?: string;
  problems?: Problem[];
}

/**
 * One API call with retries on network failures and 5xx/429 (exponential backoff): operators
 * upload on poor connections near the deadline. A 4xx answer is final and becomes a ProblemError.
 */
export async function callApi<T>(
  target: ApiTarget,
  method: string,
  path: string,
  options: { body?: unknown; retries?: number; accept?: string } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const retries = options.retries ?? 4;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${target.baseUrl}${path}`, {
        method,
        headers: {
          ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          accept: options.accept ?? 'application/json',
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch (error) {
      if (attempt < retries) {
        await sleep(backoff(attempt));
        continue;
      }
      throw unreachable(target, error);
    }
    if ((response.status >= 500 || response.status === 429) && attempt < retries) {
      await sleep(backoff(attempt));
      continue;
    }
    const text = await response.text();
    const body = text ? safeJson(text) : undefined;
    if (!response.ok) throw apiProblem(method, path, response.status, body);
    return { status: response.status, body: body as T, headers: response.headers };
  }
}

/** Posts a file to a presigned POST (URL + form fields), retrying on network failures. */
export async function postPresigned(
  url: string,
  fields: Record<string, string>,
  file: { name: string; type: string; bytes: Uint8Array },
  retries = 4,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
    try {
      const response = await fetch(url, { method: 'POST', body: form });
      if (response.ok) return;
      if (response.status < 500 || attempt >= retries) {
        const text = await response.text();
        throw new ProblemError('upload', [
          problem(
            'UPLOAD_FAILED',
            'error',
            { file: file.name },
            `Penyimpanan menolak unggahan (HTTP ${response.status}). Minta tautan unggah baru lalu coba lagi.`,
            `Storage refused the upload (HTTP ${response.status}): ${text.slice(0, 200)}. Request a new upload link and retry.`,
          ),
        ]);
      }
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      if (attempt >= retries) throw unreachable({ baseUrl: new URL(url).origin }, error);
    }
    await sleep(backoff(attempt));
  }
}

const backoff = (attempt: number) => Math.min(8000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function apiProblem(method: string, path: string, status: number, body: unknown): ProblemError {
  const doc = (body && typeof body === 'object' ? body : {}) as ProblemDocument;
  const head = problem(
    doc.title ?? `HTTP_${status}`,
    'error',
    { path: `${method} ${path}` },
    doc.detail_id ?? doc.detail ?? `Permintaan ditolak (HTTP ${status}).`,
    doc.detail ?? `The request was refused (HTTP ${status}).`,
  );
  return new ProblemError('api', [head, ...(doc.problems ?? [])]);
}

function unreachable(target: Pick<ApiTarget, 'baseUrl'>, error: unknown): ProblemError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ProblemError('api', [
    problem(
      'API_UNREACHABLE',
      'error',
      { path: target.baseUrl },
      `Tidak dapat menghubungi ${target.baseUrl} (${detail}). Jalankan "npm start" atau setel INDEKS_API.`,
      `Cannot reach ${target.baseUrl} (${detail}). Run "npm start" or set INDEKS_API.`,
    ),
  ]);
}
