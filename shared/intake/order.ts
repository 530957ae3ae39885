import type { Problem } from '#domain/problems';

const columnRank = (column: string | undefined): number => {
  if (!column || !/^[A-Z]+$/.test(column)) return -1;
  let n = 0;
  for (const ch of column) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
};

/**
 * Reading order for an operator fixing a file: file-level problems first, then sheet by sheet
 * (in the order sheets first appear), row by row, column by column. Stable otherwise.
 */
export function orderProblems(problems: readonly Problem[], sheetOrder: readonly string[] = []): Problem[] {
  const sheets = new Map(sheetOrder.map((s, i) => [s, i]));
  for (const p of problems)
    if (p.location.sheet !== undefined && !sheets.has(p.location.sheet))
      sheets.set(p.location.sheet, sheets.size);
  const key = (p: Problem): [number, number, number] => [
    p.location.sheet === undefined ? -1 : (sheets.get(p.location.sheet) ?? 0),
    p.location.row ?? -1,
    columnRank(p.location.column),
  ];
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map(({ p }) => p);
}
