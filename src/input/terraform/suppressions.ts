import type { DirectiveProblem, RawDirective } from '../../model/directive.js';

// Inline suppressions in Terraform: `# sgscan:ignore SGS001[,SGS005] <reason>` (or `//`), on the
// finding's line, in the comment lines directly above it, or in those directly above its resource block.

const DIRECTIVE = /(?:#|\/\/|\/\*)\s*sgscan:ignore(?![\w:-])(.*)$/;
const COMMENT_LINE = /^\s*(?:#|\/\/|\/\*.*\*\/\s*$)/;
const RESOURCE_HEADER = /^\s*resource\s+"([^"]+)"\s+"([^"]+)"/;

export const DIRECTIVE_EXAMPLE = '# sgscan:ignore SGS001 reached only through the VPN';

/** Every directive in a Terraform file, with problems for malformed ones (which are not returned). */
export function parseTerraformDirectives(
  file: string,
  lines: readonly string[],
): { directives: RawDirective[]; problems: DirectiveProblem[] } {
  const directives: RawDirective[] = [];
  const problems: DirectiveProblem[] = [];
  lines.forEach((text, i) => {
    const m = DIRECTIVE.exec(text);
    if (!m) return;
    const line = i + 1;
    const { rules, reason } = parseDirectiveText(m[1].replace(/\*\/\s*$/, ''));
    if (rules.length === 0) {
      problems.push({ file, line, message: `sgscan:ignore without a rule id is not applied; write e.g. "${DIRECTIVE_EXAMPLE}"` });
    } else if (reason === '') {
      problems.push({
        file,
        line,
        message: `sgscan:ignore ${rules.join(',')} has no reason and is not applied; say after the rule id why the finding is accepted`,
      });
    } else {
      directives.push({ file, line, rules, reason });
    }
  });
  return { directives, problems };
}

/** " SGS001, SGS005 -- reason" → ids ["SGS001", "SGS005"], reason "reason". */
export function parseDirectiveText(rest: string): { rules: string[]; reason: string } {
  const m = /^\s*([A-Za-z0-9_*-]+(?:\s*,\s*[A-Za-z0-9_*-]+)*)(.*)$/.exec(rest);
  if (!m || /^[-:]/.test(m[1])) return { rules: [], reason: '' };
  const rules = m[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  const reason = m[2].trim().replace(/^(?:--|-|:)\s*/, '').trim();
  return { rules, reason };
}

/**
 * The 1-based lines where a directive applies to a finding at `line` on `resource`: the line itself,
 * the contiguous comment lines above it, and the same for the header of the enclosing resource block.
 * Closest first.
 */
export function directiveLines(lines: readonly string[], line: number, resource: string): number[] {
  if (line < 1 || line > lines.length) return [];
  const out = [line, ...commentsAbove(lines, line)];
  const header = resourceHeader(lines, line, resource);
  if (header !== undefined && header !== line) out.push(header, ...commentsAbove(lines, header));
  return [...new Set(out)];
}

function commentsAbove(lines: readonly string[], line: number): number[] {
  const out: number[] = [];
  for (let l = line - 1; l >= 1 && COMMENT_LINE.test(lines[l - 1]); l--) out.push(l);
  return out;
}

/**
 * The `resource "TYPE" "NAME"` line enclosing `line`: the nearest one above naming the finding's
 * resource, else the nearest one above at all (addresses of rules split per peer, for instance).
 */
function resourceHeader(lines: readonly string[], line: number, resource: string): number | undefined {
  const want = typeAndName(resource);
  let nearest: number | undefined;
  for (let l = line; l >= 1; l--) {
    const m = RESOURCE_HEADER.exec(lines[l - 1]);
    if (!m) continue;
    if (want && m[1] === want.type && m[2] === want.name) return l;
    nearest ??= l;
  }
  return nearest;
}

/** `module.a["x"].aws_security_group.web[0]` → aws_security_group, web. */
export function typeAndName(address: string): { type: string; name: string } | undefined {
  const parts = address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, '').split('.');
  if (parts.length < 2) return undefined;
  return { type: parts[parts.length - 2], name: parts[parts.length - 1] };
}
