// A piece named with its kind: "subnet aws_subnet.a", "VPC vpc-123", but "Subnet" and "VPC" alone
// for CloudFormation logical ids that are already the word (no "subnet Subnet", "VPC VPC").

export function named(kind: string, id: string): string {
  return id.toLowerCase() === kind.toLowerCase() ? id : `${kind} ${id}`;
}
