import { check as adminPortOpenToWorld } from '../../rules/admin-port-open-to-world.js';
import { check as allTrafficOpenToWorld } from '../../rules/all-traffic-open-to-world.js';
import { check as defaultGroupHasRules } from '../../rules/default-group-has-rules.js';
import { check as highRiskPortOpenToWorld } from '../../rules/high-risk-port-open-to-world.js';
import { check as invalidRule } from '../../rules/invalid-rule.js';
import { check as misleadingRule } from '../../rules/misleading-rule.js';
import { check as missingDescription } from '../../rules/missing-description.js';
import { check as portOpenToWorld } from '../../rules/port-open-to-world.js';
import { check as unrestrictedEgress } from '../../rules/unrestricted-egress.js';
import type { Check } from './types.js';

/** Every check sgscan ships, sorted by id (the order reports list their rule catalog in). */
export const ALL_CHECKS: readonly Check[] = [
  adminPortOpenToWorld,
  allTrafficOpenToWorld,
  missingDescription,
  highRiskPortOpenToWorld,
  portOpenToWorld,
  defaultGroupHasRules,
  invalidRule,
  misleadingRule,
  unrestrictedEgress,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
