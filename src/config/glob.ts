// A tiny glob matcher for configuration patterns. Written here rather than using node's
// path.matchesGlob, which is experimental in Node 20 and prints a warning on first use.

export interface GlobOptions {
  /**
   * Paths: `*` and `?` stop at "/", `**` crosses folders. Resource addresses have no folders, so
   * there `*` matches any characters (module.web.* matches module.web.aws_security_group.this[0]).
   */
  paths: boolean;
}

/** Only `*`, `**` and `?` are special; everything else (brackets in addresses too) is literal. */
export function globToRegExp(glob: string, opts: GlobOptions): RegExp {
  const star = opts.paths ? '[^/]*' : '.*';
  const one = opts.paths ? '[^/]' : '.';
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      let j = i + 2;
      while (glob[j] === '*') j++;
      const atStart = i === 0 || glob[i - 1] === '/';
      if (opts.paths && atStart && glob[j] === '/') {
        re += '(?:.*/)?'; // "**/" matches zero or more folders
        i = j; // skip the "/"
      } else {
        re += '.*';
        i = j - 1;
      }
    } else if (ch === '*') {
      re += star;
    } else if (ch === '?') {
      re += one;
    } else {
      re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

export function matchGlob(glob: string, text: string, opts: GlobOptions): boolean {
  return globToRegExp(glob, opts).test(text);
}

/**
 * A path pattern against a relative, forward-slash path. A pattern without "/" matches the file name
 * in any folder, as in .gitignore ("*.tf", "legacy.tf").
 */
export function matchPathGlob(glob: string, file: string): boolean {
  const p = normalizePath(file);
  const g = normalizePath(glob);
  if (!g.includes('/')) return matchGlob(g, p.slice(p.lastIndexOf('/') + 1), { paths: true });
  return matchGlob(g, p, { paths: true });
}

function normalizePath(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}
