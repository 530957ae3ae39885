import type { SubmissionFailure } from '#adapters/dynamo/index';
import type { FailureInput } from './contract';

const MAX_CAUSE = 1000;
const JS_ERRORS =
  /^(Error|RangeError|TypeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError|Unknown)$/;

/**
 * What a Catch put in `$.error`, as a reason people can read: Lambda's error payload
 * (`{"errorType","errorMessage","trace"}`) loses its stack trace, anything else is cut short.
 */
export function failureOf(error: FailureInput['error']): SubmissionFailure {
  const name = error?.Error ?? 'Unknown';
  const message = causeMessage(error?.Cause);
  // Our own error names tell the admin what to do; a JavaScript one (RangeError) means nothing to an operator.
  const shown = JS_ERRORS.test(name) ? '' : ` (${name})`;
  return {
    reason:
      `Pemrosesan berkas gagal${shown}; berkas asli tetap tersimpan. Unggah ulang atau hubungi admin. | ` +
      `Processing the file failed${shown}; the original file is kept. Upload it again or contact the admin.`,
    error: name,
    ...(message ? { cause: message.slice(0, MAX_CAUSE) } : {}),
  };
}

function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null) {
      const message = Reflect.get(parsed, 'errorMessage');
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not Lambda's payload (e.g. a Pass state's own text): keep it as it is.
  }
  return cause;
}
