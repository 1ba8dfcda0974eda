import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanCloudFormationFile } from '../../../src/input/cloudformation/index.js';
import type { Model } from '../../../src/model/model.js';
import { describePeer } from '../../../src/model/peer.js';
import { Unknown } from '../../../src/model/value.js';

// The attribute says what kind of peer a rule has: SourceSecurityGroupId, SourceSecurityGroupName
// and DestinationSecurityGroupId name a security group even when their value is not known (a
// parameter, an imported value); SourcePrefixListId / DestinationPrefixListId a prefix list.

const PATH = 'fixtures/unknowns/group-reference/template.yaml';

function scan(path: string): Model {
  const m = scanCloudFormationFile({ abs: path, path }, readFileSync(path, 'utf8'));
  if (!m) throw new Error('not a template');
  return m;
}

describe('group peers whose value is not known (fixtures/unknowns/group-reference)', () => {
  const m = scan(PATH);
  const byResource = (id: string) => m.rules.filter((r) => r.id.startsWith(id));

  it('are security-group peers with an Unknown reference, never unknown addresses', () => {
    const rules = m.rules.filter((r) => r.group === 'AppSecurityGroup');
    expect(rules.map((r) => [r.id, r.peer.kind])).toEqual([
      ['AppSecurityGroup/ingress/0', 'securityGroup'],
      ['AppSecurityGroup/ingress/1', 'securityGroup'],
      ['AppSecurityGroup/egress/0', 'securityGroup'],
      ['PostgresIngress', 'securityGroup'],
      ['RdpIngress', 'securityGroup'],
    ]);
    for (const r of rules) {
      if (r.peer.kind !== 'securityGroup') continue;
      expect(r.peer.ref).toBeInstanceOf(Unknown);
      expect(r.peer.self).toBe(false);
    }
  });

  it('say which group they mean: the parameter, the list it is taken from, the import', () => {
    expect(describePeer(byResource('AppSecurityGroup/ingress/0')[0].peer)).toBe('members of a security group that is not known (parameter BastionSecurityGroupId)');
    expect(describePeer(byResource('AppSecurityGroup/ingress/1')[0].peer)).toBe('members of a security group that is not known (parameter PeerSecurityGroupIds)');
    expect(describePeer(byResource('RdpIngress')[0].peer)).toBe('members of a security group that is not known (imported from another stack: monitoring-security-group-id)');
  });

  it('a parameter of type AWS::EC2::SecurityGroup::Id carries that type', () => {
    const peer = byResource('PostgresIngress')[0].peer;
    if (peer.kind !== 'securityGroup' || !(peer.ref instanceof Unknown)) throw new Error('not an unknown group');
    expect(peer.ref.domain).toMatchObject({ subject: 'parameter BastionSecurityGroupId', description: 'a security group id', mayBeWorld: false });
  });
});

describe('prefix-list peers whose value is not known', () => {
  it('are prefix-list peers with an Unknown reference', () => {
    const text = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Parameters:',
      '  Origins:',
      '    Type: String',
      'Resources:',
      '  SG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: test',
      '      SecurityGroupIngress:',
      '        - IpProtocol: tcp',
      '          FromPort: 443',
      '          ToPort: 443',
      '          SourcePrefixListId: !Ref Origins',
    ].join('\n');
    const m = scanCloudFormationFile({ abs: '/tmp/pl.yaml', path: 'pl.yaml' }, text);
    const peer = m?.rules[0].peer;
    expect(peer?.kind).toBe('prefixList');
    if (peer?.kind !== 'prefixList') return;
    expect(peer.ref).toBeInstanceOf(Unknown);
    expect(describePeer(peer)).toBe('a prefix list that is not known (parameter Origins)');
  });
});
