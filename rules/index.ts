import { check as adminPortOpenToWorld } from './security-group/admin-port-open-to-world.js';
import { check as allTrafficOpenToWorld } from './security-group/all-traffic-open-to-world.js';
import { check as defaultGroupHasRules } from './security-group/default-group-has-rules.js';
import { check as highRiskPortOpenToWorld } from './security-group/high-risk-port-open-to-world.js';
import { check as invalidRule } from './security-group/invalid-rule.js';
import { check as misleadingRule } from './security-group/misleading-rule.js';
import { check as missingDescription } from './security-group/missing-description.js';
import { check as portOpenToWorld } from './security-group/port-open-to-world.js';
import { check as unrestrictedEgress } from './security-group/unrestricted-egress.js';
import { check as sensitivePortOpenToPublicRange } from './security-group/sensitive-port-open-to-public-range.js';
import { check as sensitivePortOpenToWidePrivateRange } from './security-group/sensitive-port-open-to-wide-private-range.js';
import { check as overlyBroadSource } from './security-group/overly-broad-source.js';
import { check as allProtocolsFromAddressRange } from './security-group/all-protocols-from-address-range.js';
import { check as implicitAllowAllEgress } from './security-group/implicit-allow-all-egress.js';
import { check as invalidGroupNameOrDescription } from './security-group/invalid-group-name-or-description.js';
import { check as redundantRule } from './security-group/redundant-rule.js';
import { check as inlineAndStandaloneRules } from './security-group/inline-and-standalone-rules.js';
import { check as tooManyRules } from './security-group/too-many-rules.js';
import { check as tooManyGroupsPerInterface } from './security-group/too-many-groups-per-interface.js';
import { check as resourceInDefaultGroup } from './attachment/resource-in-default-group.js';
import { check as unknownSecurityGroupReference } from './attachment/unknown-security-group-reference.js';
import { check as unattachedSecurityGroup } from './attachment/unattached-security-group.js';
import { check as naclAdminPortOpenToWorld } from './nacl/nacl-admin-port-open-to-world.js';
import { check as naclAllTrafficFromWorld } from './nacl/nacl-all-traffic-from-world.js';
import { check as naclAllPortsFromWorld } from './nacl/nacl-all-ports-from-world.js';
import { check as naclDuplicateRuleNumber } from './nacl/nacl-duplicate-rule-number.js';
import { check as naclUnreachableEntry } from './nacl/nacl-unreachable-entry.js';
import { check as naclNotAssociated } from './nacl/nacl-not-associated.js';
import { check as databasePubliclyAccessible } from './attachment/database-publicly-accessible.js';
import { check as subnetAutoAssignsPublicIp } from './attachment/subnet-auto-assigns-public-ip.js';
import { check as instancePublicIp } from './attachment/instance-public-ip.js';
import { check as internetExposure } from './reachability/internet-exposure.js';
import { check as eastWestExposure } from './reachability/east-west-exposure.js';
import { check as reachabilityIntent } from './reachability/reachability-intent.js';
import { check as reservedAddressPeer } from './security-group/reserved-address-peer.js';
import { check as rulePortNotServed } from './attachment/rule-port-not-served.js';
import { check as targetPortNotAdmitted } from './attachment/target-port-not-admitted.js';
import { check as fileNotAnalysed } from './input/file-not-analysed.js';
import { check as ingressPortRange } from './security-group/ingress-port-range.js';
import { check as egressPortRange } from './security-group/egress-port-range.js';
import { check as ingressSourceNotSingleHost } from './security-group/ingress-source-not-single-host.js';
import { check as naclEntryWithoutPortRestriction } from './nacl/nacl-entry-without-port-restriction.js';
import { check as naclDenyPartlyIneffective } from './nacl/nacl-deny-partly-ineffective.js';
import { check as naclOverlappingEntries } from './nacl/nacl-overlapping-entries.js';
import { check as groupWithoutVpc } from './security-group/group-without-vpc.js';
import { check as vpcDefaultGroupNotRestricted } from './security-group/vpc-default-group-not-restricted.js';
import { check as loadBalancerGroupWithoutRules } from './attachment/load-balancer-group-without-rules.js';
import { check as ec2ClassicGroup } from './security-group/ec2-classic-group.js';
import { check as ec2ClassicGroupOpenToWorld } from './security-group/ec2-classic-group-open-to-world.js';
import type { Check } from '../src/model/check.js';

/** Every check sgscan ships, sorted by id (the order reports list their rule catalog in). */
export const ALL_CHECKS: readonly Check[] = [
  fileNotAnalysed,
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
  reservedAddressPeer,
  rulePortNotServed,
  targetPortNotAdmitted,
  ingressPortRange,
  egressPortRange,
  ingressSourceNotSingleHost,
  naclEntryWithoutPortRestriction,
  naclDenyPartlyIneffective,
  naclOverlappingEntries,
  groupWithoutVpc,
  vpcDefaultGroupNotRestricted,
  loadBalancerGroupWithoutRules,
  ec2ClassicGroup,
  ec2ClassicGroupOpenToWorld,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
