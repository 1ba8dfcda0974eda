// Offsets in a text to 1-based lines (and columns), shared by every parser that reports positions.
/** Offsets to 1-based line and column (columns count code points, as hcl's count characters). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
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
