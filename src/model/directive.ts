/**
 * Whether a file's text can hold an inline suppression: both forms (`# sgscan:ignore`, `Metadata: sgscan:`)
 * name sgscan. A text that never does is not read again for directives.
 */
export function mayHoldDirective(text: string): boolean {
  return text.includes('sgscan');
}

/** An inline suppression as written, before its rule ids are checked. */
export interface RawDirective {
  file: string;
  /** 1-based line of the comment, or of the Metadata entry in CloudFormation. */
  line: number;
  /** Rule ids or names as written (may be empty: malformed). */
  rules: string[];
  /** Empty when missing (malformed). */
  reason: string;
}

/** A CloudFormation Metadata entry, tied to its resource's logical ID. */
export interface RawResourceDirective extends RawDirective {
  resource: string;
}

/** Something wrong with a directive that is not about its rule ids (no id, no reason, wrong shape). */
export interface DirectiveProblem {
  file: string;
  line: number;
  message: string;
}
