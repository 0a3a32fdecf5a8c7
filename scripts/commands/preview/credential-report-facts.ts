import { type CredentialReportUser, parseCredentialReport } from '../../../evaluator/credential-report';
import type { AccessKeyFacts, UserFacts } from '../../../evaluator/decision';
import { CredentialReportParseError } from '../../../evaluator/errors';

/** A place where an input file could not give the exact fact the runbook uses. */
export interface Approximation {
  /** The user it concerns; absent when it concerns every user of the input. */
  readonly userName?: string;
  /** The fact that is approximated, in snapshot terms (e.g. `loginProfile.createDate`). */
  readonly field: string;
  readonly note: string;
}

/** Facts from a credential report, with what they could only approximate. */
export interface CredentialReportFacts {
  readonly accountId: string | null;
  readonly users: readonly UserFacts[];
  readonly approximations: readonly Approximation[];
}

/** The report names keys by slot only; these stand in for the access key ids. */
export function reportKeyId(slot: 1 | 2): string {
  return `access_key_${slot}`;
}

const ARN_ACCOUNT = /^arn:aws[\w-]*:iam::(\d{12}):/;

/**
 * Turns an IAM credential report (CSV) into decision facts. The report has no UserId (the ARN
 * stands in), no access key ids (the slot name stands in) and no login profile CreateDate: a
 * never-used password is measured from password_last_changed, which is never earlier than the
 * login profile's creation, so such a password can look younger than the runbook will count it.
 */
export function factsFromCredentialReport(text: string): CredentialReportFacts {
  const report = parseCredentialReport(text);
  const approximations: Approximation[] = [
    {
      field: 'userId',
      note: 'the credential report has no UserId: the ARN stands in for it, so exclusion entries by UserId (AIDA...) match nobody.',
    },
    {
      field: 'accessKeys[].accessKeyId',
      note: `the credential report has no access key ids: keys are named by report slot (${reportKeyId(1)}, ${reportKeyId(2)}).`,
    },
  ];
  const users = report.users.map((row) => {
    const user = userFromReportRow(row);
    if (user.loginProfile && user.passwordLastUsed === null) {
      approximations.push({
        userName: row.user,
        field: 'loginProfile.createDate',
        note:
          'the credential report has no login profile creation date, so a never-used password is measured from ' +
          'password_last_changed; if the password was changed after the login profile was created, the runbook counts more days.',
      });
    }
    return user;
  });
  const first = report.users[0];
  return { accountId: first ? (ARN_ACCOUNT.exec(first.arn)?.[1] ?? null) : null, users, approximations };
}

function userFromReportRow(row: CredentialReportUser): UserFacts {
  let loginProfile: UserFacts['loginProfile'] = null;
  if (row.passwordEnabled) {
    if (row.passwordLastChanged === null) {
      throw new CredentialReportParseError(
        `password_enabled is true but password_last_changed has no date for user ${JSON.stringify(row.user)}`,
        row.line,
      );
    }
    loginProfile = { createDate: row.passwordLastChanged };
  }
  const accessKeys: AccessKeyFacts[] = [];
  for (const slot of row.accessKeys) {
    if (slot.lastRotated === null) {
      if (slot.active) {
        throw new CredentialReportParseError(
          `access_key_${slot.slot}_active is true but access_key_${slot.slot}_last_rotated has no date for user ${JSON.stringify(row.user)}`,
          row.line,
        );
      }
      continue; // an empty slot
    }
    accessKeys.push({
      accessKeyId: reportKeyId(slot.slot),
      status: slot.active ? 'Active' : 'Inactive',
      createDate: slot.lastRotated,
      lastUsedDate: slot.lastUsedDate,
    });
  }
  return {
    userName: row.user,
    userId: row.arn,
    passwordLastUsed: row.passwordLastUsed,
    loginProfile,
    accessKeys,
  };
}
