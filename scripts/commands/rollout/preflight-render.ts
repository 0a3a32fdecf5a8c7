import { printable, table } from '../../lib/terminal/output';
import { cdkJsonSnippet, type PreflightAccount } from './preflight';
import type { PreflightRun } from './preflight-run';

/** The preflight as a table with the proposal and the cdk.json line under it, or as JSON. */

function verdict(a: PreflightAccount): string {
  if (a.excluded) return 'excluded';
  if (a.blocker !== undefined) return 'exclude';
  if (a.recorder.answer === 'no') return 'cannot work';
  return a.recorder.answer === 'yes' ? 'ok' : 'check';
}

export function renderPreflight(run: PreflightRun): string {
  const { preflight } = run;
  let out = `\nPreflight: every account in scope, home region ${preflight.homeRegion}\n`;
  out += table(
    ['ACCOUNT', 'NAME', 'RECORDS IAM USERS', 'HOW WE KNOW', 'STACKSET INSTANCE', 'PACK', 'VERDICT'],
    preflight.accounts.map((a) => [
      a.accountId,
      a.accountName,
      a.recorder.answer,
      a.recorder.how,
      a.stackSetInstance,
      a.pack,
      verdict(a),
    ]),
  );
  for (const problem of run.regionProblems) out += `\nHome region: ${problem}\n`;
  for (const warning of run.warnings) out += `\nWarning: ${warning}\n`;
  const blocked = preflight.accounts.filter((a) => a.blocker !== undefined);
  if (blocked.length > 0) {
    out += `\n${blocked.length} account(s) cannot work yet; propose them for excludedAccountIds:\n`;
    out += blocked.map((a) => `  ${a.accountId} ${a.accountName}: ${a.blocker}\n`).join('');
    out += preflight.excludedKnown
      ? `\nIn cdk.json "context" (today's exclusions kept), then deploy:\n  ${cdkJsonSnippet(preflight)}\n`
      : `\nToday's exclusions could not be read: add ${JSON.stringify(preflight.propose)} to "excludedAccountIds" in cdk.json, then deploy.\n`;
    out += 'Take an account off the list once what blocks it is fixed, and deploy again.\n';
  }
  const unknown = preflight.accounts.filter((a) => !a.excluded && a.recorder.answer === 'unknown').length;
  if (unknown > 0) {
    out +=
      `\n${unknown} account(s) unknown: rerun with --recorder-role ROLE (a role you can assume there, such as ` +
      'OrganizationAccountAccessRole) or --admin-profile (the delegated admin, once its aggregator exists).\n';
  }
  return printable(out);
}

export function preflightJson(run: PreflightRun): unknown {
  const { preflight } = run;
  return {
    homeRegion: preflight.homeRegion,
    regionProblems: run.regionProblems,
    warnings: run.warnings,
    accounts: preflight.accounts.map((a) => ({
      accountId: a.accountId,
      accountName: a.accountName,
      recordsIamUsers: a.recorder.answer,
      how: a.recorder.how,
      stackSetInstance: a.stackSetInstance,
      pack: a.pack,
      verdict: verdict(a),
      blocker: a.blocker ?? null,
    })),
    proposedExcludedAccountIds: preflight.propose,
    excludedAccountIds: preflight.excludedKnown ? preflight.excludedAccountIds : null,
  };
}

/** Findings: an account that cannot work, or a home region that never can. */
export function preflightHasFindings(run: PreflightRun): boolean {
  return run.preflight.propose.length > 0 || run.regionProblems.length > 0;
}
