import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { loadConfig, type SgscanConfig } from '../../../src/config/index.js';
import { scan } from '../../../src/pipeline/scan.js';

// Intents ask the questions `sgscan reach` asks (issue 20): via, direct, dest_port, source_port,
// icmp_type / icmp_code and ip_version, on the Terraform and CloudFormation twins of
// fixtures/reach/question.

const DIR = 'fixtures/reach/question';

function configOf(text: string): SgscanConfig {
  const { config, errors } = loadConfig('x.yml', { checks: ALL_CHECKS, text });
  expect(errors).toEqual([]);
  return config;
}

async function violated(file: string, intents: string): Promise<string[]> {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [`${DIR}/${file}`], cwd: process.cwd(), version: 'test', config: configOf(`intents:\n${intents}`), today: '2025-01-01' });
  return result.findings.filter((f) => f.ruleId === 'SGS042').map((f) => f.key ?? '');
}

const IDS = {
  'main.tf': { app: 'aws_instance.app', web: 'aws_instance.web', strict: 'aws_instance.strict', ping: 'aws_instance.ping', v6: 'aws_instance.v6', pub: 'aws_lb.public', internal: 'aws_lb.internal' },
  'template.yaml': { app: 'App', web: 'Web', strict: 'Strict', ping: 'Ping', v6: 'V6', pub: 'PublicAlb', internal: 'InternalAlb' },
} as const;

for (const file of ['main.tf', 'template.yaml'] as const) {
  const ids = IDS[file];
  describe(`intent questions (${file})`, () => {
    it('via and direct: the app is reachable from the internet through the public ALB only', async () => {
      const keys = await violated(
        file,
        [
          `  - { name: through the public ALB, deny: { from: internet, to: ${ids.app}, port: 443, via: ${ids.pub} } }`,
          `  - { name: through the internal ALB, deny: { from: internet, to: ${ids.app}, via: ${ids.internal} } }`,
          `  - { name: direct, deny: { from: internet, to: ${ids.app}, port: 443, direct: true } }`,
          `  - { name: web via internal, deny: { from: ${ids.web}, to: ${ids.app}, port: 80, via: ${ids.internal} } }`,
        ].join('\n'),
      );
      expect(keys).toEqual([`intent "through the public ALB" from the internet to ${ids.app} tcp/443 via ${ids.pub}`, `intent "web via internal" from ${ids.web} to ${ids.app} tcp/80 via ${ids.internal}`]);
    });

    it('dest_port: the port behind the listener', async () => {
      const keys = await violated(
        file,
        [`  - { name: app port, deny: { from: internet, to: ${ids.app}, port: 443, dest_port: 8080 } }`, `  - { name: other port, deny: { from: internet, to: ${ids.app}, port: 443, dest_port: 9090 } }`].join('\n'),
      );
      expect(keys).toEqual([`intent "app port" from the internet to ${ids.app} tcp/443 to port 8080`]);
    });

    it('source_port: replies to Linux ephemeral ports get through the strict NACL, others do not', async () => {
      const keys = await violated(
        file,
        [`  - { name: linux clients, deny: { from: ${ids.web}, to: ${ids.strict}, port: 22, source_port: 40000 } }`, `  - { name: any client, deny: { from: ${ids.web}, to: ${ids.strict}, port: 22 } }`].join('\n'),
      );
      expect(keys).toEqual([`intent "linux clients" from ${ids.web} to ${ids.strict} tcp/22 from source port 40000`]);
    });

    it('icmp_type, icmp_code and ip_version', async () => {
      const keys = await violated(
        file,
        [
          `  - { name: echo, deny: { from: internet, to: ${ids.ping}, icmp_type: 8, icmp_code: 0 } }`,
          `  - { name: echo code 1, deny: { from: internet, to: ${ids.ping}, icmp_type: 8, icmp_code: 1 } }`,
          `  - { name: https v6, deny: { from: internet, to: ${ids.v6}, port: 443, ip_version: 6 } }`,
          `  - { name: https v4, deny: { from: internet, to: ${ids.v6}, port: 443, ip_version: 4 } }`,
        ].join('\n'),
      );
      expect(keys).toEqual([`intent "echo" from the internet to ${ids.ping} icmp type 8 code 0`, `intent "https v6" from the internet to ${ids.v6} tcp/443 over IPv6`]);
    });
  });
}

describe('intent question errors', () => {
  it('name the key and line', () => {
    const { errors } = loadConfig('x.yml', { checks: ALL_CHECKS, text: 'intents:\n  - name: a\n    deny:\n      from: internet\n      to: x\n      icmp_code: 3\n' });
    expect(errors.map((e) => `${e.line} ${e.message}`)).toEqual(['6 intents[0].deny.icmp_code: an ICMP code needs an ICMP type']);
    const v = loadConfig('x.yml', { checks: ALL_CHECKS, text: 'intents:\n  - name: a\n    deny: { from: internet, to: x, via: lb, direct: true }\n' });
    expect(v.errors.map((e) => e.message)).toEqual([expect.stringContaining('intents[0].deny.via: a path through a load balancer is not direct')]);
  });
});
