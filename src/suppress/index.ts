export { applySuppressions, type SuppressOptions, type SuppressResult } from './apply.js';
export { parseCloudFormationDirectives } from './cloudformation.js';
export { directiveLines, parseDirectiveText, parseTerraformDirectives, typeAndName } from './terraform.js';
export type { DirectiveProblem, RawDirective, RawResourceDirective } from './types.js';
