// The pull-request comment, kept to one per PR: found by a hidden marker and edited in place.

export const COMMENT_MARKER = '<!-- sgscan -->';

export interface CommentTarget {
  apiUrl: string;
  /** "owner/repo" */
  repository: string;
  issueNumber: number;
  token: string;
}

export type CommentOutcome =
  | { kind: 'created' | 'updated'; id: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; message: string };

interface IssueComment {
  id: number;
  body?: string;
}

const MAX_PAGES = 30;

/**
 * Creates or updates our comment. Never throws: a token that may not comment (pull requests from forks
 * get a read-only GITHUB_TOKEN) gives a `failed` outcome whose message says so.
 */
export async function upsertComment(
  target: CommentTarget,
  body: string,
  opts: { createIfMissing: boolean; fetch?: typeof fetch },
): Promise<CommentOutcome> {
  const doFetch = opts.fetch ?? fetch;
  const base = `${target.apiUrl.replace(/\/+$/, '')}/repos/${target.repository}`;
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${target.token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'sgscan-action',
    'Content-Type': 'application/json',
  };
  const fullBody = `${COMMENT_MARKER}\n${body}`;
  try {
    let existing: IssueComment | undefined;
    for (let page = 1; page <= MAX_PAGES && !existing; page++) {
      const res = await doFetch(`${base}/issues/${target.issueNumber}/comments?per_page=100&page=${page}`, { headers });
      if (!res.ok) return failure(res.status, await res.text(), 'read the comments of');
      const comments = (await res.json()) as IssueComment[];
      existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
      if (comments.length < 100) break;
    }
    if (existing) {
      const res = await doFetch(`${base}/issues/comments/${existing.id}`, { method: 'PATCH', headers, body: JSON.stringify({ body: fullBody }) });
      if (!res.ok) return failure(res.status, await res.text(), 'update its comment on');
      return { kind: 'updated', id: existing.id };
    }
    if (!opts.createIfMissing) return { kind: 'skipped', reason: 'nothing new to report and no earlier comment to update' };
    const res = await doFetch(`${base}/issues/${target.issueNumber}/comments`, { method: 'POST', headers, body: JSON.stringify({ body: fullBody }) });
    if (!res.ok) return failure(res.status, await res.text(), 'comment on');
    const created = (await res.json()) as IssueComment;
    return { kind: 'created', id: created.id };
  } catch (e) {
    return { kind: 'failed', message: `sgscan could not reach the GitHub API at ${target.apiUrl}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function failure(status: number, text: string, what: string): CommentOutcome {
  const detail = (() => {
    try {
      return (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      return text;
    }
  })().slice(0, 200);
  const why =
    status === 403 || status === 404
      ? ' The token may not write to this pull request: give the job `permissions: pull-requests: write`; for pull requests from forks GITHUB_TOKEN is read-only, so no comment is possible (the job summary and annotations still have the report).'
      : '';
  return { kind: 'failed', message: `sgscan could not ${what} the pull request (HTTP ${status}${detail ? `: ${detail}` : ''}).${why}` };
}
