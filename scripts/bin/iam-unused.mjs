#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx iam-unused` works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

// The SDK's notice that its 2027 releases need Node 22 would precede every command's output;
// the README states the Node versions instead. An operator can still opt back in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
