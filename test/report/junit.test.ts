import { describe, expect, it } from 'vitest';
import { ERRORS_SUITE, MAX_NAME, NOTICES_SUITE, renderJunit } from '../../src/report/junit.js';
import { xmlAttr, xmlChars, xmlText } from '../../src/report/xml.js';
import { CHECKS, EXPOSURE, FINDINGS, META_EXPOSURE, exposureResult, finding, scanResult } from './fixture.js';
import { validateJunit } from './junit-validate.js';

/** Every hazard XML 1.0 has: markup characters, CDATA end, controls it forbids, non-characters, lone surrogates. */
const HOSTILE = 'a<b>&"c\' ]]> \u0000\u0001\u0008\u000B\u000C\u001B\u001F \uFFFE\uFFFF \uD800x \uDC00 \t tab\r\nline 😀';

const suppressed = finding({
  ruleId: 'SGS010',
  severity: 'low',
  message: 'Ingress rule tcp/80 has no description',
  file: 'legacy/old.tf',
  line: 3,
  endLine: 3,
  fingerprint: 'ff66ff66ff66ff66ff66ff66ff66ff66',
  suppression: { kind: 'config', reason: 'Legacy, reviewed', expires: '2027-01-31', file: '.sgscan.yml', line: 4 },
});

const hostile = finding({
  ruleId: 'SGS001',
  severity: 'critical',
  message: `SSH open on ${HOSTILE}`,
  file: 'evil.tf',
  line: 2,
  endLine: 2,
  resource: `aws_security_group.${HOSTILE}`,
  fingerprint: '99999999999999999999999999999999',
  assumptions: [HOSTILE],
  certainty: 'possible',
});

const RESULTS = {
  plain: scanResult(),
  exposure: exposureResult(),
  suppressed: scanResult({ findings: [...FINDINGS, suppressed] }),
  hostile: scanResult({
    findings: [hostile],
    errors: [{ file: 'x.tf', line: 1, message: HOSTILE }],
    notices: [{ file: 'y.tf', message: HOSTILE }],
  }),
  clean: scanResult({ findings: [], errors: [], notices: [] }),
  empty: scanResult({ findings: [], errors: [], notices: [], checks: [] }),
};

function attrs(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/ ([a-z]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

function suites(xml: string) {
  return [...xml.matchAll(/<testsuite [^>]*>/g)].map((m) => attrs(m[0]));
}

interface ParsedCase {
  name?: string;
  classname?: string;
  time?: string;
  outcome: string | undefined;
  detail?: Record<string, string>;
}

function cases(xml: string): ParsedCase[] {
  return [...xml.matchAll(/<testcase ([^>]*?)(\/?)>(?:\s*<(failure|error|skipped) ([^>]*)>)?/g)].map((m) => ({
    ...attrs(` ${m[1]}`),
    outcome: m[3],
    ...(m[4] ? { detail: attrs(` ${m[4]}`) } : {}),
  }));
}

describe('JUnit report', () => {
  const xml = Object.fromEntries(Object.entries(RESULTS).map(([k, r]) => [`${k}.xml`, renderJunit(r)]));

  it('every report validates against the JUnit XSD (schemas/third-party/junit-10.xsd)', async () => {
    const problems = await validateJunit(xml);
    expect(problems).toEqual(Object.fromEntries(Object.keys(xml).map((k) => [k, []])));
  });

  it('the XSD check rejects what the schema forbids (not vacuous)', async () => {
    const good = xml['plain.xml']!;
    const problems = await validateJunit({
      'no-tests.xml': good.replace(/(<testsuite [^>]*?) tests="\d+"/, '$1'),
      'file-attr.xml': good.replace('<testcase ', '<testcase file="main.tf" '),
      'bad-time.xml': good.replace(/<testsuite ([^>]*?)time="0"/, '<testsuite $1time="soon"'),
      'unknown-element.xml': good.replace('</testsuites>', '<summary/></testsuites>'),
      'control-char.xml': good.replace('Something', 'Some\u0001thing').replace('SSH', 'S\u0001SH'),
    });
    expect(problems['no-tests.xml']!.join()).toMatch(/'tests' is required/);
    expect(problems['file-attr.xml']!.join()).toMatch(/attribute 'file'.*not allowed/);
    expect(problems['bad-time.xml']!.join()).toMatch(/time/);
    expect(problems['unknown-element.xml']!.join()).toMatch(/summary/);
    expect(problems['control-char.xml']!.length).toBeGreaterThan(0);
  });

  it('has one suite per check and per rule a finding names, sorted by id, then errors and notices', () => {
    expect(suites(xml['plain.xml']!).map((s) => s.name)).toEqual([
      'SGS001 admin-port-open-to-world',
      'SGS010 rule-without-description',
      'SGS099 other-rule',
      ERRORS_SUITE,
      NOTICES_SUITE,
    ]);
    expect(suites(xml['exposure.xml']!).map((s) => s.name)).toContain(`SGS040 ${META_EXPOSURE.name}`);
  });

  it('counts tests, failures, errors and skipped per suite and in total', () => {
    const s = suites(xml['suppressed.xml']!);
    expect(s[0]).toMatchObject({ tests: '2', failures: '2', errors: '0', skipped: '0', time: '0' });
    expect(s[1]).toMatchObject({ name: 'SGS010 rule-without-description', tests: '2', failures: '1', skipped: '1' });
    expect(s[3]).toMatchObject({ name: ERRORS_SUITE, tests: '1', failures: '0', errors: '1' });
    expect(s[4]).toMatchObject({ name: NOTICES_SUITE, tests: '1', skipped: '1' });
    const root = attrs(xml['suppressed.xml']!.match(/<testsuites [^>]*>/)![0]);
    expect(root).toEqual({ name: 'sgscan 0.1.0', tests: '7', failures: '4', errors: '1', time: '0' });
  });

  it('makes each finding a failed testcase: severity, file and message in the name, no line number', () => {
    const c = cases(xml['plain.xml']!);
    const ssh = c.find((x) => x.name?.includes('SSH'))!;
    expect(ssh).toMatchObject({
      classname: 'sgscan.SGS001',
      name: 'critical: main.tf: SSH (tcp/22) is open to 0.0.0.0/0 on aws_security_group.web.',
      time: '0',
      outcome: 'failure',
    });
    expect(ssh.detail).toEqual({
      type: 'critical',
      message: '[critical] SGS001 main.tf:4-10: SSH (tcp/22) is open to 0.0.0.0/0 on aws_security_group.web.',
    });
    // Moving the finding does not rename the test (CI history and "new failures" stay right).
    const moved = renderJunit(scanResult({ findings: FINDINGS.map((f) => ({ ...f, line: f.line + 7, endLine: f.endLine + 7 })) }));
    expect(cases(moved).map((x) => x.name)).toEqual(c.map((x) => x.name));
  });

  it('puts location, resource, certainty, path and remediation in the failure body', () => {
    const body = xml['exposure.xml']!.match(/<failure type="critical" message="\[critical\] SGS040[^>]*>([^<]*)<\/failure>/)![1]!;
    expect(body).toContain('at infra/compute.tf:1-5');
    expect(body).toContain('resource: aws_instance.bastion');
    expect(body).toContain('reachability: reachable');
    expect(body).toContain('path:\n  infra/compute.tf:3  aws_instance.bastion has a public IPv4 address');
    expect(body).toContain(`remediation: ${META_EXPOSURE.remediation}`);
    expect(body).toContain(`fingerprint: ${EXPOSURE.fingerprint}`);
    const rdp = xml['plain.xml']!.match(/<failure[^>]*RDP[^>]*>([^<]*)<\/failure>/)![1]!;
    expect(rdp).toContain('certainty: possible (var.admin_cidr has no value)');
    expect(rdp).toContain('via: main.tf:20');
  });

  it('a check without findings is one passing testcase', () => {
    const c = cases(xml['clean.xml']!);
    expect(c).toEqual(
      CHECKS.map((ch) => ({ name: `${ch.meta.id} ${ch.meta.name}: no findings`, classname: `sgscan.${ch.meta.id}`, time: '0', outcome: undefined }))
        .sort((a, b) => a.classname.localeCompare(b.classname)),
    );
    expect(xml['clean.xml']).toContain('<testcase name="SGS001 admin-port-open-to-world: no findings" classname="sgscan.SGS001" time="0"/>');
  });

  it('a suppressed finding is skipped, with the reason', () => {
    const c = cases(xml['suppressed.xml']!).find((x) => x.name?.includes('tcp/80'))!;
    expect(c.outcome).toBe('skipped');
    expect(c.detail).toEqual({ type: 'suppressed', message: 'suppressed (configuration): Legacy, reviewed (until 2027-01-31)' });
  });

  it('scan errors are error testcases, coverage notices skipped ones', () => {
    const c = cases(xml['plain.xml']!);
    expect(c.find((x) => x.classname === 'sgscan.scan-errors')).toMatchObject({
      name: 'broken.tf: Unexpected token &quot;}&quot;',
      outcome: 'error',
      detail: { type: 'scan-error', message: 'broken.tf:3: Unexpected token &quot;}&quot;' },
    });
    expect(c.find((x) => x.classname === 'sgscan.coverage')).toMatchObject({ outcome: 'skipped', detail: { type: 'coverage-notice' } });
  });

  it('an empty result is a valid, empty document', () => {
    expect(xml['empty.xml']).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sgscan 0.1.0" tests="0" failures="0" errors="0" time="0">\n</testsuites>\n',
    );
  });

  it('hostile content cannot add markup and leaves no character XML 1.0 forbids', () => {
    const x = xml['hostile.xml']!;
    expect(x.match(/<testcase /g)).toHaveLength(4); // SGS001 finding, SGS010 pass, error, notice
    expect(x.match(/<failure /g)).toHaveLength(1);
    expect(x).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(x).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(x).not.toContain(']]>');
    expect(x).toContain('␀␁␈␋␌␛␟'); // controls shown as their control pictures
    expect(x).toContain('😀'); // a proper surrogate pair is kept
  });

  it('is deterministic: the same bytes whatever the input order', () => {
    const r = exposureResult();
    const shuffled = exposureResult({ findings: [...r.findings].reverse(), checks: [...r.checks].reverse() });
    expect(renderJunit(shuffled)).toBe(renderJunit(r));
    expect(renderJunit(r)).toBe(xml['exposure.xml']);
  });

  it('numbers testcases that would share a name, and cuts long names', () => {
    const twin = finding({ ruleId: 'SGS010', severity: 'low', message: 'Same', line: 5, fingerprint: 'a' });
    const long = finding({ ruleId: 'SGS010', severity: 'low', message: `${'x'.repeat(MAX_NAME - 17)}😀 and more`, line: 9 });
    const c = cases(renderJunit(scanResult({ findings: [twin, { ...twin, line: 8, fingerprint: 'b' }, long], errors: [], notices: [] })));
    const names = c.filter((x) => x.classname === 'sgscan.SGS010').map((x) => x.name!);
    expect(names.slice(0, 2)).toEqual(['low: main.tf: Same', 'low: main.tf: Same (2)']);
    expect([...names[2]!].length).toBeLessThanOrEqual(MAX_NAME);
    expect(names[2]!.endsWith('…')).toBe(true);
    expect(names[2]).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('XML escaping', () => {
  it('escapes markup in text and attributes', () => {
    expect(xmlText('a<b>&c"\'')).toBe('a&lt;b&gt;&amp;c"\'');
    expect(xmlAttr('a<b>&c"\'')).toBe('a&lt;b&gt;&amp;c&quot;\'');
  });

  it('keeps tab, LF and CR, as references where a parser would normalize them', () => {
    expect(xmlText('a\tb\nc\r\nd')).toBe('a\tb\nc&#13;\nd');
    expect(xmlAttr('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
  });

  it('replaces what XML 1.0 forbids: C0 controls by control pictures, non-characters and lone surrogates by U+FFFD', () => {
    expect(xmlChars('\u0000\u0007\u000B\u000C\u001B\u001F')).toBe('␀␇␋␌␛␟');
    expect(xmlChars('\uFFFE\uFFFF')).toBe('\uFFFD\uFFFD');
    expect(xmlChars('a\uD800b\uDC00c\uD83D\uDE00')).toBe('a\uFFFDb\uFFFDc😀');
    expect(xmlChars('\u007F\u0085\uFFFD é')).toBe('\u007F\u0085\uFFFD é'); // allowed by XML 1.0
  });
});
