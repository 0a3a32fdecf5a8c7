import { Stack } from 'aws-cdk-lib';
import { CfnConformancePack } from 'aws-cdk-lib/aws-config';
import type { Construct } from 'constructs';
import { buildPackTemplate, packTemplateToYaml } from '../conformance-pack/builder';
import { ACCOUNT_CONFORMANCE_PACK_NAME, ACCOUNT_STACK_NAME } from '../conformance-pack/names';
import { MemberResources } from './member';
import { packOptions } from './pack-options';
import { logRetentionOf, type Settings } from './settings';

export interface AccountStackProps {
  readonly settings: Settings;
  /** The account to deploy into; undefined = the account of the deploying credentials. */
  readonly accountId: string | undefined;
}

/**
 * One account, no StackSet: exactly the member resources plus an account-level conformance pack
 * from the same builder. For accounts outside an organization, and for the management account
 * (which a service-managed StackSet never reaches).
 */
export class AccountStack extends Stack {
  readonly member: MemberResources;
  readonly conformancePack: CfnConformancePack;
  readonly packYaml: string;

  constructor(scope: Construct, props: AccountStackProps) {
    const { settings } = props;
    super(scope, ACCOUNT_STACK_NAME, {
      env: {
        region: settings.homeRegion,
        ...(props.accountId !== undefined ? { account: props.accountId } : {}),
      },
      description: 'iam-unused-cleanup in one account: evaluator, roles, and the account conformance pack.',
    });
    this.member = new MemberResources(this, 'Member', {
      exclusionParameterName: settings.exclusionParameterName,
      logRetention: logRetentionOf(settings),
      exclusionsAdmins: settings.exclusionsAdmins,
      evaluationFrequency: settings.evaluationFrequency,
    });
    // Here both ARNs are known at synth time (same stack), so no unverified form is needed.
    this.packYaml = packTemplateToYaml(
      buildPackTemplate(
        packOptions(settings, {
          kind: 'account',
          functionArn: this.member.evaluator.functionArn,
          remediationRoleArn: this.member.remediationRole.roleArn,
        }),
      ),
    );
    this.conformancePack = new CfnConformancePack(this, 'ConformancePack', {
      conformancePackName: ACCOUNT_CONFORMANCE_PACK_NAME,
      templateBody: this.packYaml,
    });
    // The ARNs already order the pack after the function and role; the rule also needs Config's
    // permission to invoke the function.
    this.conformancePack.addResourceDependency(this.member.configInvokePermission);
    // The remediation runs our document by name: it must exist first.
    this.conformancePack.addResourceDependency(this.member.revocationCheck.document);
  }
}
