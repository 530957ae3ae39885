import { S3Error } from './errors';

export interface PostForm {
  /** Form fields before the file, names as sent (S3 matches field names case-insensitively). */
  fields: Map<string, string>;
  file: { bytes: Buffer; fileName: string; contentType?: string } | undefined;
}

/**
 * A `multipart/form-data` body as S3's POST Object reads it: text fields, then the `file` field
 * (fields after the file are ignored, as in S3). Throws MalformedPOSTRequest on a broken body.
 */
export function parseMultipartForm(body: Buffer, contentType: string): PostForm {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  const malformed = () =>
    new S3Error(
      400,
      'MalformedPOSTRequest',
      'The body of your POST request is not well-formed multipart/form-data.',
    );
  if (!boundary) throw malformed();
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, string>();
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed();
  while (true) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') break;
    if (body.subarray(position, position + 2).toString() !== '\r\n') throw malformed();
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) throw malformed();
    const headers = body.subarray(position, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw malformed();
    const content = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw malformed();
    if (name.toLowerCase() === 'file') {
      const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '');
      return { fields, file: { bytes: content, fileName, ...(type ? { contentType: type } : {}) } };
    }
    fields.set(name, content.toString('utf8'));
    position = next + 2;
  }
  return { fields, file: undefined };
}
