// Offsets in a text to 1-based lines (and columns), shared by every parser that reports positions.
/** Offsets to 1-based line and column (columns count code points, as hcl's count characters). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 0-based line of the last lookup: parsers ask in order, mostly for the same or the next line. */
  private last = 0;

  line(offset: number): number {
    const starts = this.starts;
    const i = this.last;
    if (starts[i] <= offset) {
      if (i + 1 === starts.length || offset < starts[i + 1]) return i + 1;
      if (i + 2 === starts.length || offset < starts[i + 2]) return (this.last = i + 1) + 1;
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return lo + 1;
  }

  column(offset: number): number {
    const start = this.starts[this.line(offset) - 1];
    return [...this.text.slice(start, offset)].length + 1;
  }

  /** hcl's range notation: `L,C-C` on one line, `L,C-L2,C2` across lines. */
  range(start: number, end: number): string {
    const l1 = this.line(start);
    const l2 = this.line(end);
    return l1 === l2 ? `${l1},${this.column(start)}-${this.column(end)}` : `${l1},${this.column(start)}-${l2},${this.column(end)}`;
  }
}
