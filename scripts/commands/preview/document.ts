import { userFromVerdict } from '../../verdicts/from-decision';
import type { AccountInput, OrgInput } from '../../verdicts/org-view';
import { SCHEMA_VERSION, type UserVerdict } from '../../verdicts/user-verdict';
import type { OrgPreview, PreviewResult } from './model';

/** The preview in the shared shapes: the JSON document (schemas/preview.schema.json) and the HTML page's input. */

export function previewUsers(result: PreviewResult): UserVerdict[] {
  const place = { accountId: result.accountId, accountName: '', maxAgeDays: result.maxAgeDays };
  return result.rows.map(({ verdict }) => userFromVerdict(verdict, place));
}

/** Notes about every user appear once; notes about one user name its account. */
function approximationsOf(preview: OrgPreview): unknown[] {
  const general = new Map<string, unknown>();
  const perUser: unknown[] = [];
  for (const result of preview.accounts) {
    for (const a of result.approximations) {
      if (a.userName === undefined) general.set(`${a.field}\0${a.note}`, a);
      else perUser.push({ accountId: result.accountId, ...a });
    }
  }
  return [...general.values(), ...perUser];
}

export function previewJson(preview: OrgPreview): unknown {
  const single = preview.accounts.length === 1 ? preview.accounts[0] : undefined;
  return {
    schemaVersion: SCHEMA_VERSION,
    accountId: single ? single.accountId : null,
    maxCredentialUsageAge: preview.maxAgeDays,
    evaluatedAt: preview.evaluatedAt.toISOString(),
    accounts: preview.accounts.map((r) => ({
      accountId: r.accountId,
      users: r.rows.length,
      nonCompliant: r.rows.filter((x) => x.verdict.compliance === 'NON_COMPLIANT').length,
      excluded: r.rows.filter((x) => x.verdict.excluded).length,
      exclusionEntries: r.exclusions.size,
    })),
    users: preview.accounts.flatMap(previewUsers),
    approximations: approximationsOf(preview),
    unmatchedExclusions: preview.unmatched,
  };
}

export function orgInputOfPreview(preview: OrgPreview): OrgInput {
  const accounts: AccountInput[] = preview.accounts.map((r) => ({
    accountId: r.accountId ?? '',
    accountName: '',
    state: 'covered',
    lastRunAt: preview.evaluatedAt,
  }));
  return {
    title: 'IAM unused credentials preview (offline dry run)',
    source: `${preview.accounts.length} input file(s), decided offline with the rule's own code`,
    generatedAt: preview.evaluatedAt,
    maxAgeDays: preview.maxAgeDays,
    remediationMode: 'none (offline preview)',
    unmatchedExclusions: preview.unmatched.length,
    accounts,
    users: preview.accounts.flatMap(previewUsers).map((u) => ({ ...u, accountId: u.accountId ?? '' })),
  };
}
