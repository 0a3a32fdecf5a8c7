import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AwsSolutions pack and AWS Control Tower's proactive-control rules (cfn-guard,
 * its binary shipped in the package, offline) at synth over every stack of the app. Organizations
 * with proactive controls on enforce the same rules as CloudFormation hooks in every account.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());
}

export interface NagViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly resources: readonly string[];
}

/**
 * The unacknowledged findings recorded in an assembly's validation report (CDK writes it at
 * synth; acknowledged findings are removed from the violations). Empty when nothing was found.
 */
export function readValidationViolations(assemblyDirectory: string): NagViolation[] {
  let text: string;
  try {
    text = readFileSync(path.join(assemblyDirectory, 'validation-report.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const report = JSON.parse(text) as {
    pluginReports?: {
      violations?: {
        ruleName: string;
        severity?: string;
        violatingConstructs?: { constructPath?: string }[];
      }[];
    }[];
  };
  return (report.pluginReports ?? []).flatMap((plugin) =>
    (plugin.violations ?? []).map((v) => ({
      ruleName: v.ruleName,
      severity: v.severity ?? 'unknown',
      resources: (v.violatingConstructs ?? []).map((c) => c.constructPath ?? '?'),
    })),
  );
}
