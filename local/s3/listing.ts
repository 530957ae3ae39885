/**
 * The page logic of ListObjects (v1 and v2): keys in binary order, `prefix`, `delimiter` rolling
 * keys up into common prefixes, `max-keys` counting both, and a resume point after the last entry
 * returned (a common prefix resumes after every key under it).
 */

export interface ListRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Resume strictly after this key (start-after, marker or continuation token). */
  after: string;
  /** A common prefix returned on the previous page: none of its keys is listed again. */
  skipUnder?: string;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned (what the next page resumes after). */
  last: string | undefined;
}

const beyond = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;

export function listPage(sortedKeys: readonly string[], request: ListRequest): ListPage {
  const page: ListPage = { keys: [], commonPrefixes: [], truncated: false, last: undefined };
  const { prefix, delimiter, maxKeys, after } = request;
  const resumeUnder = request.skipUnder;
  for (const key of sortedKeys) {
    if (!key.startsWith(prefix)) continue;
    if (after && !beyond(key, after)) continue;
    if (resumeUnder && key.startsWith(resumeUnder)) continue;
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const entry = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : key;
    if (cut >= 0 && page.commonPrefixes.at(-1) === entry) continue;
    if (page.keys.length + page.commonPrefixes.length >= maxKeys) {
      page.truncated = true;
      break;
    }
    if (cut >= 0) page.commonPrefixes.push(entry);
    else page.keys.push(key);
    page.last = entry;
  }
  return page;
}
