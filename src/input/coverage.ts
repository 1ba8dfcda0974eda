import type { CoverageNotice, ScanError } from '../model/model.js';
import type { Coverage } from '../model/scan-result.js';
import { isSizeLimitError } from './read.js';
import { addTo } from '../model/arrays.js';

// Coverage honesty: every file discovery found is accounted for exactly once, so a report can never
// read "0 findings" while most of the tree went unread.

export interface FoundFile {
  /** Display path, as errors and notices name it. */
  path: string;
  kind: 'terraform' | 'document';
}

export const SKIP_OVER_LIMIT = 'over the file size limit';
export const SKIP_NOT_TEMPLATE = 'not a CloudFormation template or Terraform plan';
export const SKIP_NOT_READ = 'not used by any scanned Terraform module';
export const SKIP_NOTICE = 'left out on purpose (see notices)';

/**
 * found = parsed + partial + skipped + failed. A file with an error failed (unless the error is the
 * size limit: skipped); a file read with notices is partial; a document no front end claimed is
 * skipped as not a template.
 */
export function accountCoverage(
  found: readonly FoundFile[],
  read: readonly string[],
  errors: readonly ScanError[],
  notices: readonly CoverageNotice[],
): Coverage {
  const readSet = new Set(read);
  const errorsByFile = new Map<string, ScanError[]>();
  for (const e of errors) addTo(errorsByFile, e.file, e);
  const noticed = new Set(notices.map((n) => n.file));
  const c: Coverage = { found: 0, parsed: 0, partial: 0, skipped: 0, failed: 0, skippedReasons: {} };
  const skip = (reason: string) => {
    c.skipped++;
    c.skippedReasons[reason] = (c.skippedReasons[reason] ?? 0) + 1;
  };
  for (const f of [...new Map(found.map((x) => [x.path, x])).values()]) {
    c.found++;
    const errs = errorsByFile.get(f.path);
    if (errs?.length) {
      if (errs.every(isSizeLimitError)) skip(SKIP_OVER_LIMIT);
      else c.failed++;
    } else if (readSet.has(f.path)) {
      if (noticed.has(f.path)) c.partial++;
      else c.parsed++;
    } else if (noticed.has(f.path)) skip(SKIP_NOTICE);
    else skip(f.kind === 'document' ? SKIP_NOT_TEMPLATE : SKIP_NOT_READ);
  }
  // Key order independent of discovery order.
  c.skippedReasons = Object.fromEntries(Object.entries(c.skippedReasons).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return c;
}
