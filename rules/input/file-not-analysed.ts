import type { Check, Report } from '../../src/model/check.js';
import { at } from '../../src/model/location.js';
import type { Model, ScanError } from '../../src/model/model.js';

// A file the scan could not analyse (a syntax error, nesting past the limits, bytes that are not
// text) would otherwise only be an error line: its security groups vanish and the scan passes. As
// a finding it is counted by --fail-on, shown in every format, and new in a pull request that
// breaks a file that parsed on the base.

export const check: Check = {
  meta: {
    id: 'SGS000',
    name: 'file-not-analysed',
    severity: 'high',
    shortDescription: 'A Terraform or CloudFormation file could not be analysed: anything in it is missing from the results',
    fullDescription:
      'The file could not be read or parsed: a syntax error, nesting deeper than the parser accepts, binary ' +
      'content or invalid UTF-8, a file over the size limit, or an internal error while reading it. Every ' +
      'security group, rule and attachment it declares is missing from this report, so an open SSH rule in it ' +
      'would pass unseen; one broken file in a pull request could hide a group this way. Reported at the line ' +
      'of the error where it is known. Files that are not Terraform or CloudFormation (workflows, manifests) ' +
      'are not reported.',
    remediation:
      'Fix the error the message names (terraform validate or cfn-lint show the same problem), or, for a file ' +
      'over the size limit, raise it with --max-file-size. Then scan again: the file is analysed like any other.',
    remediationTerraform: [
      'resource "aws_security_group" "web" {',
      '  description = "Web servers"',
      '  ingress {',
      '    protocol    = "tcp"',
      '    from_port   = 443',
      '    to_port     = 443',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  } # every block closed',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'WebSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: Web servers',
      '    SecurityGroupIngress: # a well-formed list',
      '      - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }',
    ].join('\n'),
    tags: ['security', 'coverage'],
    references: [
      'https://developer.hashicorp.com/terraform/language/syntax/configuration',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html',
    ],
    precision: 'very-high',
    wholeScan: true,
  },
  run(model) {
    const reports: Report[] = [];
    const seen = new Set<string>();
    for (const e of notAnalysed(model)) {
      // one finding per file: its first error (errors are reported in full beside the findings)
      if (seen.has(e.file)) continue;
      seen.add(e.file);
      reports.push({
        message: `File not analysed: ${e.message.replace(/\.$/, '')}. Any security group in it is missing from this report.`,
        location: at(e.file, e.line ?? 1, e.line ?? 1),
        resource: e.file,
        key: 'file-not-analysed',
      });
    }
    return reports;
  },
};

/**
 * Errors that mean a Terraform or CloudFormation file went unanalysed, first line first per file:
 * those of files a front end claimed (model.files), and internal errors naming a file. Discovery
 * errors (a link out of the folder, a path that does not exist) and errors of checks are not.
 */
function notAnalysed(model: Model): ScanError[] {
  const claimed = new Set(model.files);
  return model.errors
    .filter((e) => e.file !== '.' && (claimed.has(e.file) || e.message.startsWith('internal error while')))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
}
