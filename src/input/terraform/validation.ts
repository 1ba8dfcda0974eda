import type { Domain } from '../../model/value.js';
import { type Constraint, domainOf, patternConstraint, valuesConstraint } from '../constraints.js';
import type { RawBody } from './load.js';

// A variable's validation blocks, Terraform's analogue of AllowedPattern, as far as they are read:
// a condition that is exactly `can(regex("...", var.NAME))` (RE2, a search unless the pattern is
// anchored) or `contains(["a", "b"], var.NAME)`. Every block must hold, so each one read narrows
// the domain; a condition of any other shape is left out (the variable may be anything it allows).

const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;

/** An HCL quoted string's text; undefined when it holds a template sequence (not a literal). */
function unquote(body: string): string | undefined {
  if (/(^|[^$])\$\{|(^|[^%])%\{/.test(body)) return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === 'r') out += '\r';
    else if (n === '"' || n === '\\') out += n;
    else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else return undefined;
  }
  return out.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

function conditionConstraint(name: string, condition: unknown): Constraint | undefined {
  if (typeof condition !== 'string') return undefined;
  const v = String.raw`var\.${name.replace(/[-]/g, '\\-')}`;
  const regex = new RegExp(String.raw`^\$\{\s*can\(\s*regex\(\s*${STRING}\s*,\s*${v}\s*\)\s*\)\s*\}$`).exec(condition);
  if (regex) {
    const source = unquote(regex[1]);
    return source === undefined ? undefined : patternConstraint(source, 're2', false);
  }
  const contains = new RegExp(String.raw`^\$\{\s*contains\(\s*\[((?:\s*${STRING}\s*,?)*)\]\s*,\s*${v}\s*\)\s*\}$`).exec(condition);
  if (contains) {
    const values = [...contains[1].matchAll(new RegExp(STRING, 'g'))].map((m) => unquote(m[1]));
    if (values.length === 0 || values.some((x) => x === undefined)) return undefined;
    return valuesConstraint(values as string[]);
  }
  return undefined;
}

/** The domain of `var.NAME` under its validation blocks; undefined when none is read. */
export function variableDomain(name: string, body: RawBody): Domain | undefined {
  const blocks = (body as Record<string, unknown>).validation;
  const list = Array.isArray(blocks) ? blocks : blocks && typeof blocks === 'object' ? [blocks] : [];
  const parts: Constraint[] = [];
  for (const b of list) {
    const c = b && typeof b === 'object' ? conditionConstraint(name, (b as Record<string, unknown>).condition) : undefined;
    if (c) parts.push(c);
  }
  if (parts.length === 0) return undefined;
  return domainOf(`var.${name}`, parts, false);
}
