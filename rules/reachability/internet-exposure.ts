import { SEVERITIES, type Check, type Report, type Severity } from '../../src/model/check.js';
import { exposureMessage, internetExposures, reachContext, serviceText } from '../../src/reach/exposure.js';

export const check: Check = {
  meta: {
    id: 'SGS040',
    name: 'internet-exposure',
    severity: 'high',
    shortDescription: 'Resource reachable from the internet (security groups, NACLs, routes and public addresses together)',
    fullDescription:
      'Exact reachability from the internet to every resource with network interfaces (instances, load ' +
      'balancers, databases, caches, tasks, ...): a connection needs a public address (public IP, Elastic IP, ' +
      'internet-facing load balancer, publicly accessible database; IPv6 addresses are public), a route to an ' +
      'internet gateway in the subnet for the client address (longest prefix match; an IPv6 egress-only ' +
      'gateway admits no inbound connections), the subnet NACL both ways (stateless: the reply to the ' +
      "client's ephemeral ports 1024-65535 must be allowed out), and an ingress rule in one of the resource's " +
      'security groups, on a port the resource serves (a database its engine port, an interface VPC endpoint ' +
      '443; an EC2 Instance Connect Endpoint, a Lambda function or a VPC link none; a type sgscan does not ' +
      'know is said to be one). One finding per resource and exposed service, with the path through the code; ' +
      'a resource whose own groups are not known gets one possible finding, medium at most, naming them. ' +
      'Severity: critical for SSH/RDP and database or cache ports (and any port of a database or cache), ' +
      'high for other high-risk ports, several protocols at once or ranges over 1,000 ports, medium for other ' +
      'ports and for HTTP/HTTPS outside a load balancer, low for ICMP, info for HTTP/HTTPS on an ' +
      'internet-facing load balancer (public by design). When a fact on the way is not known statically ' +
      '(an unset variable, PubliclyAccessible unset), the finding is "possible", names it, and is rated one ' +
      'level lower than the same exposure known for certain (a template whose subnets and groups are all ' +
      'parameters should not drown the definite exposures). An exposure whose way in is a rule that SGS001, ' +
      'SGS002, SGS004 or SGS005 reports is told in that finding, at the rule, with this path; SGS040 reports the ' +
      'others on its own (web ports, public ranges that are not the whole internet, managed prefix lists).',
    remediation:
      'Remove the path: take the public address away (private subnet, no public IP, internal load balancer, ' +
      'PubliclyAccessible false), narrow the security group rule to known sources, or deny the traffic in the ' +
      'subnet NACL. Put services behind a load balancer and administration behind SSM Session Manager.',
    remediationTerraform: [
      'resource "aws_instance" "app" {',
      '  subnet_id                   = aws_subnet.private.id # no route to the internet gateway',
      '  associate_public_ip_address = false',
      '  vpc_security_group_ids      = [aws_security_group.app.id]',
      '}',
      '',
      'resource "aws_db_instance" "main" {',
      '  publicly_accessible = false',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'App:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    NetworkInterfaces:',
      '      - DeviceIndex: "0"',
      '        SubnetId: !Ref PrivateSubnet',
      '        AssociatePublicIpAddress: false',
      '        GroupSet: [!Ref AppSecurityGroup]',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet', 'reachability'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
    ],
    foldsIntoRule: true,
    equivalents: { kics: ['c44c95fc-ae92-4bb8-bdf8-bb9bc412004a', '9564406d-e761-4e61-b8d7-5926e3ab8e79'] },
  },
  run(model) {
    const reach = reachContext(model);
    return reach.parts.flatMap((p) => internetExposures(p.engine)).map((x): Report => {
      const r: Report = {
        message: exposureMessage(x),
        location: x.endpoint.location,
        via: x.endpoint.via,
        resource: x.endpoint.id,
        key: `${x.from ? x.from.name : 'internet'} ${x.service.label}`,
        certainty: x.verdict === 'reachable' ? 'definite' : 'possible',
        assumptions: x.assumptions,
        severity: x.verdict === 'reachable' ? x.severity : oneLower(x.severity),
        path: x.path,
        reachability: x.verdict,
        service: serviceText(x.service),
      };
      return r;
    });
  },
};

/** A possible exposure ranks below a definite one of the same kind; info stays info. */
function oneLower(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)];
}
