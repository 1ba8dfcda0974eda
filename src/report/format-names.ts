// The report formats' names, apart from the reporters so the CLI can parse options without loading them.
export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'junit', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];
