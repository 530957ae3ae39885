/** An S3 error answer (`<Error><Code>…`), with the HTTP status S3 uses for it. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

/** S3's refusal of an upload (or a part) below the smallest size allowed. */
export function entityTooSmall(size: number, min: number, extra: Record<string, string> = {}): S3Error {
  return new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
    ProposedSize: String(size),
    MinSizeAllowed: String(min),
    ...extra,
  });
}

export function xmlEscape(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

/** `<Tag>value</Tag>` for each defined entry (nested strings are already XML). */
export function xmlElements(entries: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(entries)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${typeof v === 'string' ? xmlEscape(v) : String(v)}</${k}>`)
    .join('');
}

export function errorXml(error: S3Error, resource: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${xmlElements({
    Code: error.code,
    Message: error.message,
    ...error.extra,
    Resource: resource,
    RequestId: requestId,
  })}</Error>`;
}

/** The text of every `<tag>…</tag>` directly inside `xml` (enough for the small bodies S3 takes). */
export function xmlValues(xml: string, tag: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  for (const match of xml.matchAll(pattern)) out.push(unescapeXml(match[1] ?? ''));
  return out;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}
