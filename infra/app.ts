import { App } from 'aws-cdk-lib';
import { buildApp, writePackArtifact } from './build-app';
import { InvalidSettingsError, parseSettings } from './parse-settings';
import { readContext } from './settings';

// The CDK app (cdk.json "app"). Settings come from cdk.json "context" or `-c key=value`.
const app = new App();
try {
  const built = buildApp(app, parseSettings(readContext(app.node)));
  writePackArtifact(built);
  app.synth();
} catch (error) {
  if (!(error instanceof InvalidSettingsError)) throw error;
  // The message already lists every problem with its fix: no stack trace needed.
  console.error(error.message);
  process.exitCode = 1;
}
