import type { SourceFile } from '../load/source-file.js';
import type { Model } from '../model/model.js';

export interface TerraformOptions {
  /** `--var-file` paths, in order. */
  varFiles?: string[];
  /** `--var name=value`, in order. */
  vars?: Array<[string, string]>;
  /** Environment, for TF_VAR_name. */
  env?: Record<string, string | undefined>;
}

/**
 * Scan one Terraform root module: every `.tf` / `.tf.json` file of one folder, taken together.
 * Never throws: unparseable files become `errors` and the rest is still scanned.
 */
export async function scanTerraformModule(dir: string, files: SourceFile[], options: TerraformOptions = {}): Promise<Model> {
  void dir; void files; void options;
  throw new Error('not implemented');
}
