import type { LoadResult } from './load.js';
import type { ReadOnce } from '../read.js';

// How a Terraform scan is asked for: variables, the scanned root, limits.

export interface TerraformOptions {
  /** `--var-file` paths, in order. */
  varFiles?: string[];
  /** `--var name=value`, in order. */
  vars?: Array<[string, string]>;
  /**
   * `--var-file PATH` and `--var NAME=VALUE` in command-line order (later wins, as in Terraform).
   * When given, `varFiles` and `vars` are ignored.
   */
  varArgs?: Array<{ kind: 'file' | 'var'; value: string }>;
  /** Environment, for TF_VAR_name. */
  env?: Record<string, string | undefined>;
  /**
   * Absolute folder the scan was asked to read. Local modules whose source leaves it are not read
   * (a repository must not make the scanner read elsewhere on the machine) unless `allowOutsideRoot`.
   */
  scanRoot?: string;
  allowOutsideRoot?: boolean;
  /** Size limit per file (see src/input/read.ts). */
  maxFileBytes?: number;
  /** Parses kept across the root modules of one scan (see SharedParses). */
  shared?: SharedParses;
  /** Bytes the scan's planning read, for the module's scan to take instead of reading again. */
  reads?: ReadOnce;
}

/**
 * The files of local modules that several root modules of one scan call, parsed once for them all
 * (the corpus's examples folders call their repository's module: 1,635 file reads for 873 files).
 * Only those folders are kept, so a scan of unrelated roots holds no more than one root's parses.
 * A parse is plain data nobody changes: sharing it cannot change what a root's evaluation sees.
 */
export interface SharedParses {
  /** Absolute folders of the shared local modules. */
  dirs: ReadonlySet<string>;
  /** By `${abs}\0${display path}`, as LoadContext.parsed. */
  parsed: Map<string, Promise<LoadResult>>;
}
