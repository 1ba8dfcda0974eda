/** Where something was written: a file and a 1-based, inclusive line span. */
export interface SourceLocation {
  /** Path relative to the working directory, with forward slashes (what users see and click). */
  file: string;
  /** 1-based first line. */
  line: number;
  /** 1-based last line (>= line). */
  endLine: number;
}

/** A location plus the call chain that led there (Terraform module blocks), outermost first. */
export interface Located {
  location: SourceLocation;
  /** For things declared inside a module: the `module` blocks that instantiated it, caller first. */
  via?: SourceLocation[];
}

export function at(file: string, line: number, endLine = line): SourceLocation {
  return { file, line, endLine: Math.max(line, endLine) };
}

export function formatLocation(l: SourceLocation): string {
  return `${l.file}:${l.line}`;
}
