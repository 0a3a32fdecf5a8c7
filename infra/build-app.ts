import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { ORG_PACK_ARTIFACT } from '../conformance-pack/builder';
import { AccountStack } from './account-stack';
import { DelegatedAdminStack } from './admin-stack';
import { addNagChecks } from './nag';
import type { Settings } from './settings';

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuiltApp {
  readonly adminStack: DelegatedAdminStack | undefined;
  readonly accountStack: AccountStack | undefined;
}

/** Adds what the settings' mode asks for to the app, with cdk-nag over every stack. */
export function buildApp(app: App, settings: Settings): BuiltApp {
  addNagChecks(app);
  if (settings.mode === 'account') {
    return {
      adminStack: undefined,
      accountStack: new AccountStack(app, {
        settings,
        accountId: settings.accountId,
      }),
    };
  }
  const adminStack = new DelegatedAdminStack(app, settings);
  const accountStack =
    settings.mode === 'organization+management-account'
      ? new AccountStack(app, {
          settings,
          accountId: settings.organization.managementAccountId,
        })
      : undefined;
  return { adminStack, accountStack };
}

/** Writes the organization pack YAML as the tracked, reviewable artifact. */
export function writePackArtifact(built: BuiltApp, root: string = REPOSITORY_ROOT): string | undefined {
  if (built.adminStack === undefined) return undefined;
  const file = path.join(root, ORG_PACK_ARTIFACT);
  writeFileSync(file, built.adminStack.packYaml);
  return file;
}
