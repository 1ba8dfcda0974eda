/** A diff-mode problem the user can fix (not a repository, unknown revision, unreadable baseline): exit 2. */
export class DiffError extends Error {}
