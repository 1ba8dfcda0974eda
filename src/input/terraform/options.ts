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
}
