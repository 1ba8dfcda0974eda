import { check as adminPortOpenToWorld } from '../../rules/admin-port-open-to-world.js';
import { check as allTrafficOpenToWorld } from '../../rules/all-traffic-open-to-world.js';
import { check as defaultGroupHasRules } from '../../rules/default-group-has-rules.js';
import { check as highRiskPortOpenToWorld } from '../../rules/high-risk-port-open-to-world.js';
import { check as invalidRule } from '../../rules/invalid-rule.js';
import { check as misleadingRule } from '../../rules/misleading-rule.js';
import { check as missingDescription } from '../../rules/missing-description.js';
import { check as portOpenToWorld } from '../../rules/port-open-to-world.js';
import { check as unrestrictedEgress } from '../../rules/unrestricted-egress.js';
import { check as sensitivePortOpenToPublicRange } from '../../rules/sensitive-port-open-to-public-range.js';
import { check as sensitivePortOpenToWidePrivateRange } from '../../rules/sensitive-port-open-to-wide-private-range.js';
import { check as overlyBroadSource } from '../../rules/overly-broad-source.js';
import { check as allProtocolsFromAddressRange } from '../../rules/all-protocols-from-address-range.js';
import { check as implicitAllowAllEgress } from '../../rules/implicit-allow-all-egress.js';
import { check as invalidGroupNameOrDescription } from '../../rules/invalid-group-name-or-description.js';
import { check as redundantRule } from '../../rules/redundant-rule.js';
import { check as inlineAndStandaloneRules } from '../../rules/inline-and-standalone-rules.js';
import { check as tooManyRules } from '../../rules/too-many-rules.js';
import { check as tooManyGroupsPerInterface } from '../../rules/too-many-groups-per-interface.js';
import { check as resourceInDefaultGroup } from '../../rules/resource-in-default-group.js';
import { check as unknownSecurityGroupReference } from '../../rules/unknown-security-group-reference.js';
import { check as unattachedSecurityGroup } from '../../rules/unattached-security-group.js';
import { check as naclAdminPortOpenToWorld } from '../../rules/nacl-admin-port-open-to-world.js';
import { check as naclAllTrafficFromWorld } from '../../rules/nacl-all-traffic-from-world.js';
import { check as naclAllPortsFromWorld } from '../../rules/nacl-all-ports-from-world.js';
import { check as naclDuplicateRuleNumber } from '../../rules/nacl-duplicate-rule-number.js';
import { check as naclUnreachableEntry } from '../../rules/nacl-unreachable-entry.js';
import { check as naclNotAssociated } from '../../rules/nacl-not-associated.js';
import { check as databasePubliclyAccessible } from '../../rules/database-publicly-accessible.js';
import { check as subnetAutoAssignsPublicIp } from '../../rules/subnet-auto-assigns-public-ip.js';
import { check as instancePublicIp } from '../../rules/instance-public-ip.js';
import { check as internetExposure } from '../../rules/internet-exposure.js';
import { check as eastWestExposure } from '../../rules/east-west-exposure.js';
import { check as reachabilityIntent } from '../../rules/reachability-intent.js';
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
  sensitivePortOpenToPublicRange,
  sensitivePortOpenToWidePrivateRange,
  overlyBroadSource,
  allProtocolsFromAddressRange,
  implicitAllowAllEgress,
  invalidGroupNameOrDescription,
  redundantRule,
  inlineAndStandaloneRules,
  tooManyRules,
  tooManyGroupsPerInterface,
  resourceInDefaultGroup,
  unknownSecurityGroupReference,
  unattachedSecurityGroup,
  naclAdminPortOpenToWorld,
  naclAllTrafficFromWorld,
  naclAllPortsFromWorld,
  naclDuplicateRuleNumber,
  naclUnreachableEntry,
  naclNotAssociated,
  databasePubliclyAccessible,
  subnetAutoAssignsPublicIp,
  instancePublicIp,
  internetExposure,
  eastWestExposure,
  reachabilityIntent,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
