export { applyConfig, type ConfiguredChecks } from './apply.js';
export { CONFIG_FILE_NAMES, findConfigFile } from './find.js';
export { globToRegExp, matchGlob, matchPathGlob } from './glob.js';
export { configSchemaPath, loadConfig, type LoadConfigOptions, type LoadedConfig } from './load.js';
export { isCalendarDate, ruleResolver } from './rule-ids.js';
export { INTENTS_CHECK_ID } from './apply.js';
export { intentsFromOptions, isOutside, parseSelector, parseService, type IntentService, type Selector } from './intents.js';
export { defaultConfig, type Intent, type RuleSetting, type SgscanConfig, type SuppressionEntry } from './types.js';
export { parseGitignore, pathExcluder, type Excluder, type ExcludeOptions } from './exclude.js';
