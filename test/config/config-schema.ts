// Builds schemas/sgscan-config.schema.json from the check registry and the option table below, so the
// schema lists every shipped check (by id and by name) with the options its run() reads from
// context.options. test/config/schema.test.ts fails when the file is stale; regenerate with
//   UPDATE_CONFIG_SCHEMA=1 npx vitest run test/config/schema.test.ts
import { PRESETS } from '../../src/config/presets.js';
import type { Check } from '../../src/model/check.js';

type JsonSchema = Record<string, unknown>;

const ports = (description: string): JsonSchema => ({ description, type: 'array', items: { $ref: '#/definitions/port' } });
const int = (description: string, minimum: number, maximum: number): JsonSchema => ({ description, type: 'integer', minimum, maximum });
const cidrs = (description: string): JsonSchema => ({ description, type: 'array', items: { type: 'string', minLength: 1 } });

/** Options per check id, as the rules in rules/*.ts read them. Checks not listed take none. */
export const CHECK_OPTIONS: Record<string, Record<string, JsonSchema>> = {
  SGS001: {
    ports: ports('TCP ports counted as remote administration (default [22, 3389]).'),
    udpPorts: ports('UDP ports counted as remote administration (default [3389]).'),
  },
  SGS004: {
    ports: ports('High-risk TCP ports (databases, caches, file sharing, ...); replaces the default list.'),
    udpPorts: ports('High-risk UDP ports (default [1434, 11211]).'),
  },
  SGS005: {
    allowedPorts: ports('TCP ports allowed to face the whole internet (default [80, 443]).'),
    allowedUdpPorts: ports('UDP ports allowed to face the whole internet (default []).'),
  },
  SGS010: {
    ports: ports('Sensitive TCP ports (default: the SGS001 and SGS004 lists).'),
    udpPorts: ports('Sensitive UDP ports (default: the SGS001 and SGS004 lists).'),
    allowedCidrs: cidrs('Trusted public ranges that are not reported, e.g. your VPN egress (default none).'),
  },
  SGS011: {
    ports: ports('Sensitive TCP ports (default: the SGS001 and SGS004 lists).'),
    udpPorts: ports('Sensitive UDP ports (default: the SGS001 and SGS004 lists).'),
    minPrefix: int('IPv4 prefixes shorter than this are wide (default 16).', 0, 32),
    minPrefixIpv6: int('IPv6 prefixes shorter than this are wide (default 48).', 0, 128),
  },
  SGS012: {
    minPrefix: int('IPv4 prefixes shorter than this are too broad (default 8).', 0, 32),
    minPrefixIpv6: int('IPv6 prefixes shorter than this are too broad (default 32).', 0, 128),
  },
  SGS018: {
    maxRules: int('Rules per security group allowed before reporting (default 60, the AWS quota; raise it if yours was increased).', 1, 10000),
  },
  SGS019: {
    maxGroups: int('Security groups per network interface allowed before reporting (default 5, the AWS quota).', 1, 1000),
  },
  SGS043: {
    documentationRanges: { description: 'Also report documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) as placeholders (default false; true in the strict preset).', type: 'boolean' },
  },
  SGS023: {
    ports: ports('TCP ports counted as remote administration (default [22, 3389]).'),
    udpPorts: ports('UDP ports counted as remote administration (default [3389]).'),
  },
};

const SETTING = 'off, on, true, false, a severity (critical, high, medium, low, info), or a mapping with enabled, severity and options';

export function buildConfigSchema(checks: readonly Check[]): JsonSchema {
  const definitions: Record<string, JsonSchema> = {
    severity: { enum: ['critical', 'high', 'medium', 'low', 'info'] },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    date: { description: 'A calendar date, YYYY-MM-DD.', type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    glob: {
      description:
        '`*` matches within one path segment (any characters in a resource address), `**` across segments, `?` one character; everything else literally.',
      type: 'string',
      minLength: 1,
    },
    shorthand: {
      description: '`off`/`false` disables the check, `on`/`true` enables it, a severity overrides its severity.',
      anyOf: [{ type: 'boolean' }, { enum: ['on', 'off', 'critical', 'high', 'medium', 'low', 'info'] }],
    },
    anyRule: ruleSetting({ description: 'Options passed to the check as context.options.', type: 'object' }),
    suppression: {
      type: 'object',
      additionalProperties: false,
      required: ['rule', 'reason'],
      properties: {
        rule: { description: 'Check id (SGS001), name (admin-port-open-to-world), or "*" for every check.', type: 'string', minLength: 1 },
        path: {
          description:
            "Glob over the finding's file, relative to the scan's working directory or to the folder of this configuration file. A glob without \"/\" matches the file name in any folder.",
          $ref: '#/definitions/glob',
        },
        resource: {
          description: "Glob over the finding's resource: Terraform address (module.web.aws_security_group.this[0]) or CloudFormation logical ID.",
          $ref: '#/definitions/glob',
        },
        reason: { description: 'Why the finding is accepted; shown in reports.', type: 'string', minLength: 1, pattern: '\\S' },
        expires: {
          description: 'Last day the suppression applies (YYYY-MM-DD); afterwards it is ignored and reported.',
          $ref: '#/definitions/date',
        },
      },
    },
    selector: {
      description:
        'internet, a CIDR or address (10.0.0.0/16), a resource address or logical ID (`*` matches any characters; a security group selects its members), FILE:ID, tag:Key=Value (endpoints whose resource has the tag; `*` allowed in the value) or group:ADDRESS (members of the security group).',
      type: 'string',
      minLength: 1,
    },
    selectors: {
      description: 'a selector or a list of selectors',
      anyOf: [{ $ref: '#/definitions/selector' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/selector' } }],
    },
    intentClause: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: {
        from: { description: 'Sources.', $ref: '#/definitions/selectors' },
        to: { description: 'Destinations.', $ref: '#/definitions/selectors' },
        port: {
          description: 'a port 0-65535 or a range "from-to" (ICMP: the type)',
          anyOf: [{ $ref: '#/definitions/port' }, { type: 'string', pattern: '^[0-9]+-[0-9]+$' }],
        },
        protocol: {
          description: 'tcp, udp, icmp, icmpv6, all, -1 or a protocol number (default tcp when a port is given, else all)',
          anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: -1, maximum: 255 }],
        },
        dest_port: { description: "the port the destination receives on; through a load balancer, the target group's port (the listener's is `port`)", $ref: '#/definitions/port' },
        source_port: {
          description: 'the client\'s source port or range "from-to": replies go back to it through stateless NACLs (default 1024-65535)',
          anyOf: [{ $ref: '#/definitions/port' }, { type: 'string', pattern: '^[0-9]+-[0-9]+$' }],
        },
        icmp_type: { description: 'ICMP type 0-255 (protocol icmp, or icmpv6 with ip_version 6)', type: 'integer', minimum: 0, maximum: 255 },
        icmp_code: { description: 'ICMP code 0-255, with icmp_type (default: every code)', type: 'integer', minimum: 0, maximum: 255 },
        ip_version: { description: 'ask over IPv4 or IPv6 only (default: both)', enum: [4, 6] },
        via: { description: 'only paths through this load balancer (Terraform address or logical ID)', type: 'string', minLength: 1 },
        direct: { description: 'only direct paths, none through a load balancer', type: 'boolean' },
      },
    },
    intent: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { description: 'Names the intent in findings; unique.', type: 'string', minLength: 1, pattern: '\\S' },
        deny: { description: 'None of `from` may reach `to` (on the port, when given).', $ref: '#/definitions/intentClause' },
        only: {
          description: 'Nothing but `from` may reach `to` (on the port, when given): the internet and every other resource of the same Terraform root or template are checked.',
          $ref: '#/definitions/intentClause',
        },
        severity: { description: "Severity of this intent's findings (default: SGS042's, high).", $ref: '#/definitions/severity' },
      },
    },
  };
  const ruleProps: Record<string, JsonSchema> = {};
  for (const c of [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0))) {
    const { id, name } = c.meta;
    const options = CHECK_OPTIONS[id] ?? {};
    definitions[`rule-${id}`] = ruleSetting({
      description: Object.keys(options).length ? `Options of ${id}.` : `${id} takes no options.`,
      type: 'object',
      additionalProperties: false,
      properties: options,
    });
    ruleProps[id] = { description: `${name}: ${c.meta.shortDescription}`, $ref: `#/definitions/rule-${id}` };
    ruleProps[name] = { description: `${id}: ${c.meta.shortDescription}`, $ref: `#/definitions/rule-${id}` };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/sgscan/sgscan/schemas/sgscan-config.schema.json',
    title: 'sgscan configuration (.sgscan.yml)',
    description:
      'Found from the scanned folder upward (.sgscan.yml, then .sgscan.yaml), or given explicitly. Every key is optional. Generated from the check registry by test/config/config-schema.ts.',
    type: 'object',
    additionalProperties: false,
    properties: {
      version: { description: 'Format version; only 1 exists.', const: 1 },
      extends: {
        description:
          'Preset the rules start from: `recommended` (default: the quiet checks) or `strict` (adds the checks compliance-minded teams ask for: port 80 and port ranges to the world, non-/32 sources, NACL port and protocol restrictions, groups without a VPC, ...). `rules` entries apply on top.',
        enum: [...PRESETS],
      },
      rules: {
        description:
          "Per-check settings, keyed by check id or name. Checks not listed keep their defaults. Each check's options are listed under its definition.",
        type: 'object',
        properties: ruleProps,
        additionalProperties: { $ref: '#/definitions/anyRule' },
      },
      suppressions: {
        description: 'Findings accepted centrally: those matching rule, path and resource (all given ones) are marked suppressed with the reason.',
        type: 'array',
        items: { $ref: '#/definitions/suppression' },
      },
      intents: {
        description:
          'Reachability intents, checked by SGS042 (reachability-intent) with the reachability engine: each has a name and exactly one of deny or only. See docs/intents.md.',
        type: 'array',
        items: { $ref: '#/definitions/intent' },
      },
      inlineSuppressions: {
        description: 'Honour `# sgscan:ignore` comments in Terraform and Metadata.sgscan.ignore in CloudFormation (default true).',
        type: 'boolean',
      },
      exclude: {
        description: 'Files and folders the scan leaves out: globs relative to this file\'s folder (`*`, `?`, `**`; "legacy/**", "*.generated.tf"), like --skip-path.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      gitignore: {
        description: 'Leave out what the repository\'s .gitignore files ignore (simple patterns; default true).',
        type: 'boolean',
      },
    },
    definitions,
  };
}

function ruleSetting(options: JsonSchema): JsonSchema {
  return {
    description: SETTING,
    anyOf: [
      { $ref: '#/definitions/shorthand' },
      {
        type: 'object',
        additionalProperties: false,
        properties: { enabled: { type: 'boolean' }, severity: { $ref: '#/definitions/severity' }, options },
      },
    ],
  };
}
