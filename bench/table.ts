/** A right-aligned table of figures for the benches' output. */
export function figureTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((cell, i) => cell.padStart(widths[i])).join('  ')).join('\n');
}
