#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, with no build step. Node resolves this file through the
// `npm link` symlink to the clone, so tsx and the sources load from the clone from any directory.

// The SDK's notice that its 2027 releases need Node 22 would precede every command's output;
// the README states the Node versions instead. An operator can still opt back in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch (cause) {
  process.stderr.write(
    `iam-unused: cannot load tsx (it runs the TypeScript sources): ${cause?.code ?? cause} — run \`npm ci\` in the clone (with dev dependencies)\n`,
  );
  process.exit(3);
}
register();
const { main } = await import('../cli.ts');
const { processIo } = await import('../lib/terminal/io.ts');
const io = processIo();
const code = await main(process.argv.slice(2), io);
// A write that failed for another reason than a closed pipe (`| head` is fine) is a failure (3).
process.exitCode = io.writeFailure() ? 3 : code;
