/** A file found by discovery. */
export interface SourceFile {
  /** Absolute path on disk. */
  abs: string;
  /** Path relative to the working directory with forward slashes: what reports show. */
  path: string;
}
