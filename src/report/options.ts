// Options of the individual reporters (text, SARIF, Markdown).

export interface TextOptions {
  color: boolean;
  /** Reads source lines for code frames; injected so reporters do no I/O of their own. */
  readLines?: (file: string) => string[] | undefined;
  /** Terminal width to wrap messages and paths to; no wrapping without it (files and pipes). */
  width?: number;
}

export interface SarifOptions {
  /**
   * GitHub code scanning category, written as run.automationDetails.id ("sgscan/" by default). A trailing
   * "/" is added when missing so the whole value is the category, not a run id.
   */
  category?: string;
  /** Most results kept, most severe first (default 5000, what GitHub displays per run). */
  maxResults?: number;
  /**
   * Also report suppressed findings, each with SARIF `suppressions` (kind "inSource" for inline
   * directives, "external" for the configuration file). Default false: they are left out.
   */
  includeSuppressed?: boolean;
  /**
   * Path from the repository root to the folder the findings' paths are relative to ("infra/" when
   * scanning from infra/): URIs are written relative to the root. Default "" (they are the same).
   */
  pathPrefix?: string;
}

export interface MarkdownOptions {
  /** Heading text (default "sgscan"). */
  title?: string;
  /**
   * When given, locations become links: `${linkBase}${file}#L${line}-L${endLine}`, e.g.
   * "https://github.com/org/repo/blob/<sha>/". Otherwise `file:line` is plain text.
   */
  linkBase?: string;
  /** Size cap in UTF-8 bytes (default 1 MiB, GitHub's job-summary limit; PR comments need 65536). */
  maxBytes?: number;
}
