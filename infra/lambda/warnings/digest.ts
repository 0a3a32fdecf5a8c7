import type { PublishInput } from '@aws-sdk/client-sns';
import { MS_PER_DAY } from '../../../evaluator/decision';
import {
  credentialKey,
  WARNING_DETAIL_TYPE,
  WARNING_EVENT_SOURCE,
  type WarningDetail,
} from '../../../evaluator/warnings/event';
import { AUTOMATION_STATUS_DETAIL_TYPE } from '../../warnings/names';
import { asciiSubject, NOTIFICATION_TYPE_ATTRIBUTE } from './notify-message';

/**
 * The daily digest, pure: from the archived events of the last days (warnings and the runbook's
 * final statuses, as EventBridge delivered them), per account: what was warned and what the
 * remediation ran in the last period, and which revocations fall due in the next 7 days.
 */

/** An EventBridge event as the archive holds it (the fields the digest reads). */
export interface ArchivedEvent {
  readonly account: string;
  readonly time: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: Record<string, unknown>;
}

export interface RemediationOutcome {
  readonly executionId: string;
  readonly status: string;
  readonly time: string;
}

export interface AccountDigest {
  readonly accountId: string;
  readonly warned: readonly WarningDetail[];
  readonly remediations: readonly RemediationOutcome[];
  readonly due: readonly WarningDetail[];
}

export const DIGEST_PERIOD_MS = MS_PER_DAY;
export const DUE_WITHIN_DAYS = 7;
/** Lines per section before "... and N more": keeps the message far below SNS's 256 KB. */
const MAX_LINES = 200;

export function buildDigest(events: readonly ArchivedEvent[], now: Date): AccountDigest[] {
  const since = now.getTime() - DIGEST_PERIOD_MS;
  const today = now.toISOString().slice(0, 10);
  const horizon = new Date(now.getTime() + DUE_WITHIN_DAYS * MS_PER_DAY).toISOString().slice(0, 10);
  const byAccount = new Map<
    string,
    { warned: WarningDetail[]; remediations: RemediationOutcome[]; due: Map<string, WarningDetail> }
  >();
  const entry = (account: string) => {
    let found = byAccount.get(account);
    if (found === undefined) {
      found = { warned: [], remediations: [], due: new Map() };
      byAccount.set(account, found);
    }
    return found;
  };
  for (const event of [...events].sort((a, b) => a.time.localeCompare(b.time))) {
    const recent = Date.parse(event.time) >= since;
    if (event.source === WARNING_EVENT_SOURCE && event['detail-type'] === WARNING_DETAIL_TYPE) {
      const detail = event.detail as unknown as WarningDetail;
      const accountId = detail.accountId ?? event.account;
      if (recent) entry(accountId).warned.push(detail);
      // The latest warning of a credential wins; one still due is listed once.
      if (detail.revokeOn >= today && detail.revokeOn < horizon) {
        entry(accountId).due.set(credentialKey(detail), detail);
      }
    } else if (event['detail-type'] === AUTOMATION_STATUS_DETAIL_TYPE && recent) {
      entry(event.account).remediations.push({
        executionId: String(event.detail.ExecutionId ?? '?'),
        status: String(event.detail.Status ?? '?'),
        time: event.time,
      });
    }
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, a]) => ({
      accountId,
      warned: a.warned,
      remediations: a.remediations,
      due: [...a.due.values()].sort(
        (x, y) => x.revokeOn.localeCompare(y.revokeOn) || x.userName.localeCompare(y.userName),
      ),
    }));
}

export function digestText(digests: readonly AccountDigest[], now: Date): string {
  const lines = [
    `iam-unused-cleanup daily digest, ${now.toISOString()} (warnings and remediations of the last 24 hours; ` +
      `revocations due in the next ${DUE_WITHIN_DAYS} days).`,
  ];
  if (digests.length === 0) lines.push('', 'Nothing was warned or revoked, and nothing is due.');
  for (const d of digests) {
    const outcomes = countBy(d.remediations.map((r) => r.status));
    lines.push('', `Account ${d.accountId}`);
    lines.push(
      `  Warned (${d.warned.length}):`,
      ...capped(d.warned.map((w) => `    ${describe(w)}, ${w.daysLeft}d left`)),
    );
    lines.push(
      `  Remediation runs (${d.remediations.length}${outcomes === '' ? '' : `: ${outcomes}`}):`,
      ...capped(d.remediations.map((r) => `    ${r.status.padEnd(9)} ${r.executionId} at ${r.time}`)),
    );
    lines.push(
      `  Due in the next ${DUE_WITHIN_DAYS} days (${d.due.length}):`,
      ...capped(d.due.map((w) => `    ${w.revokeOn} ${describe(w)}`)),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function digestNotification(
  topicArn: string,
  digests: readonly AccountDigest[],
  now: Date,
): PublishInput {
  const warned = digests.reduce((n, d) => n + d.warned.length, 0);
  const runs = digests.reduce((n, d) => n + d.remediations.length, 0);
  const due = digests.reduce((n, d) => n + d.due.length, 0);
  return {
    TopicArn: topicArn,
    Subject: asciiSubject(
      `iam-unused-cleanup digest ${now.toISOString().slice(0, 10)}: ${warned} warned, ${runs} remediation runs, ${due} due`,
    ),
    Message: digestText(digests, now),
    MessageAttributes: { [NOTIFICATION_TYPE_ATTRIBUTE]: { DataType: 'String', StringValue: 'digest' } },
  };
}

function describe(w: WarningDetail): string {
  const what = w.credential.type === 'password' ? 'password' : `key ${w.credential.accessKeyId}`;
  const owner = Object.entries(w.ownerTags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${w.userName} ${what}${owner === '' ? '' : ` (${owner})`}`;
}

function capped(lines: readonly string[]): string[] {
  if (lines.length <= MAX_LINES) return [...lines];
  return [...lines.slice(0, MAX_LINES), `    ... and ${lines.length - MAX_LINES} more`];
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(', ');
}
