/**
 * Where the rule can work at all. The runbook finds each user through the Config-recorded
 * AWS::IAM::User of the home region, and Config records IAM resource types only in regions it
 * supported before February 2022 (AWS Config developer guide, "Recording global resources";
 * docs/aws-behaviour.md#iam-recording-regions). That set is closed, so it is an allowlist: a region launched later
 * (ap-south-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-7, eu-central-2,
 * eu-south-2, me-central-1, il-central-1, ca-west-1, mx-central-1, and every newer one) is refused.
 */
export const IAM_RECORDING_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'af-south-1',
    'ap-east-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
    'ca-central-1',
    'eu-central-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-north-1',
    'eu-south-1',
    'me-south-1',
    'sa-east-1',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
};

/**
 * Partitions where nothing shows that the AWS-owned runbook (v5) exists: AWS's own Automated
 * Security Response ships a local copy "for aws-cn and aws-us-gov", an older version with other
 * rules. Refused unless the operator confirms it there (allowUnverifiedPartition).
 */
export const UNVERIFIED_PARTITIONS = ['aws-cn', 'aws-us-gov'] as const;

/** One line per problem with the home region and partition (empty when both are fine). */
export function homeRegionProblems(
  region: string,
  partition: string,
  allowUnverifiedPartition: boolean,
): string[] {
  const known = IAM_RECORDING_REGIONS[partition];
  if (known === undefined) {
    return [
      `homeRegion = ${JSON.stringify(region)} is in the ${partition} partition, where neither organization conformance packs ` +
        'with this runbook nor IAM recording are known to work: use a commercial region such as "eu-west-1".',
    ];
  }
  const problems: string[] = [];
  if (!known.includes(region)) {
    problems.push(
      `homeRegion = ${JSON.stringify(region)}: AWS Config cannot record AWS::IAM::User there (only in regions it supported ` +
        'before February 2022), so the runbook could never find a user. Use one of these regions as the home region: ' +
        `${known.join(', ')}.`,
    );
  }
  if ((UNVERIFIED_PARTITIONS as readonly string[]).includes(partition) && !allowUnverifiedPartition) {
    problems.push(
      `homeRegion = ${JSON.stringify(region)} is in the ${partition} partition, where the runbook ` +
        'AWSConfigRemediation-RevokeUnusedIAMUserCredentials v5 is not known to exist. Check there with ' +
        '`aws ssm describe-document --name AWSConfigRemediation-RevokeUnusedIAMUserCredentials --document-version 5`; ' +
        'if it exists, set allowUnverifiedPartition = true to deploy anyway.',
    );
  }
  return problems;
}
