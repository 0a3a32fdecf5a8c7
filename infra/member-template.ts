import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import { STACKSET_NAME } from '../conformance-pack/names';
import { MemberResources, type MemberResourcesProps } from './member';
import { addNagChecks } from './nag';

/** The StackSet's member template: only the member construct, environment-agnostic. */
export class MemberStack extends Stack {
  readonly member: MemberResources;
  constructor(scope: App, id: string, props: MemberResourcesProps) {
    super(scope, id, {
      // Member accounts are not CDK-bootstrapped: no bootstrap-version rule, and assets (which
      // would need a bucket in every account) fail synthesis instead of failing the deployment.
      synthesizer: new BootstraplessSynthesizer(),
      description: 'iam-unused-cleanup member resources (deployed by the StackSet to every target account).',
      analyticsReporting: false,
    });
    this.member = new MemberResources(this, 'Member', props);
  }
}

export interface SynthesizedMemberTemplate {
  readonly template: Record<string, unknown>;
  /** The template file (passed to the admin stack as an asset). */
  readonly templateFile: string;
  /** The cloud assembly directory of the member app (validation report). */
  readonly assemblyDirectory: string;
  readonly bytes: number;
}

/**
 * Synthesizes the member template in an app of its own, with cdk-nag, so the admin stack can
 * carry it as a file (TemplateURL) and no member stack is ever deployable on its own by mistake.
 * The outdir is explicit: under the CDK CLI the app would otherwise share the outer CDK_OUTDIR.
 */
export function synthesizeMemberTemplate(
  props: MemberResourcesProps,
  outdir: string = mkdtempSync(path.join(tmpdir(), 'iam-unused-member-')),
): SynthesizedMemberTemplate {
  const app = new App({ outdir });
  addNagChecks(app);
  const stack = new MemberStack(app, STACKSET_NAME, props);
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const text = JSON.stringify(artifact.template);
  return {
    template: artifact.template as Record<string, unknown>,
    templateFile: artifact.templateFullPath,
    assemblyDirectory: assembly.directory,
    bytes: Buffer.byteLength(text, 'utf8'),
  };
}
