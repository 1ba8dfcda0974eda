import type { SourceFile } from '../load/source-file.js';
import type { Model } from '../model/model.js';

export interface CloudFormationOptions {
  /** `--parameter Key=Value`, in order. */
  parameters?: Array<[string, string]>;
}

/**
 * Scan one YAML/JSON file. Returns null when it is not a CloudFormation template (workflows,
 * manifests, package files are skipped silently). Never throws.
 */
export function scanCloudFormationFile(file: SourceFile, text: string, options: CloudFormationOptions = {}): Model | null {
  void file; void text; void options;
  throw new Error('not implemented');
}
