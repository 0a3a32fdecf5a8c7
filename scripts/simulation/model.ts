import type { UserFacts } from '../../evaluator/decision';

/**
 * An IAM account held in memory: the single source of truth that the benchmark and the tests
 * serve to both facts sources (through aws-sdk-client-mock) and to the credential report.
 */

export interface ModelKey {
  readonly id: string;
  status: 'Active' | 'Inactive';
  readonly createDate: Date;
  lastUsed: Date | null;
}

export interface ModelUser {
  readonly name: string;
  readonly id: string;
  readonly createDate: Date;
  /** Survives the login profile's deletion, as in IAM. */
  passwordLastUsed: Date | null;
  loginProfile: { readonly createDate: Date } | null;
  /** When the password was last set (creation or a reset); the report's password_last_changed. */
  passwordLastChanged: Date | null;
  keys: ModelKey[];
}

export class IamAccount {
  private readonly byName = new Map<string, ModelUser>();
  private readonly ordered: ModelUser[] = [];

  constructor(users: readonly ModelUser[] = []) {
    for (const user of users) this.add(user);
  }

  get users(): readonly ModelUser[] {
    return this.ordered;
  }

  add(user: ModelUser): void {
    const key = user.name.toLowerCase();
    if (this.byName.has(key)) throw new Error(`model: user ${user.name} exists already`);
    this.byName.set(key, user);
    this.ordered.push(user);
  }

  remove(name: string): void {
    const user = this.byName.get(name.toLowerCase());
    if (!user) throw new Error(`model: no user ${name}`);
    this.byName.delete(name.toLowerCase());
    this.ordered.splice(this.ordered.indexOf(user), 1);
  }

  user(name: string): ModelUser | undefined {
    return this.byName.get(name.toLowerCase());
  }

  findKey(id: string): { user: ModelUser; key: ModelKey } | undefined {
    for (const user of this.ordered) {
      const key = user.keys.find((k) => k.id === id);
      if (key) return { user, key };
    }
    return undefined;
  }

  /** A deep copy: the report's snapshot stays put while the live account changes. */
  clone(): IamAccount {
    return new IamAccount(
      this.ordered.map((u) => ({
        ...u,
        loginProfile: u.loginProfile ? { ...u.loginProfile } : null,
        keys: u.keys.map((k) => ({ ...k })),
      })),
    );
  }

  /** The ground truth, as the per-user strategy reads it. */
  facts(): UserFacts[] {
    return this.ordered.map((u) => ({
      userName: u.name,
      userId: u.id,
      passwordLastUsed: u.passwordLastUsed,
      loginProfile: u.loginProfile ? { createDate: u.loginProfile.createDate } : null,
      accessKeys: u.keys.map((k) => ({
        accessKeyId: k.id,
        status: k.status,
        createDate: k.createDate,
        lastUsedDate: k.lastUsed,
      })),
    }));
  }
}

export const REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** The report's date format: whole seconds (truncated), explicit +00:00 zone. */
export function reportDate(date: Date | null, none = 'N/A'): string {
  if (!date) return none;
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

export interface ReportRenderOptions {
  readonly accountId?: string;
  /** Which key goes to slot 1: IAM documents no order, so tests try both. @default 'asListed' */
  readonly slotOrder?: 'asListed' | 'reversed';
}

/** The credential report CSV of the account as it is now, with the root row first like IAM's. */
export function renderCredentialReport(account: IamAccount, options: ReportRenderOptions = {}): string {
  const accountId = options.accountId ?? '111111111111';
  const lines = [
    REPORT_COLUMNS.join(','),
    [
      '<root_account>',
      `arn:aws:iam::${accountId}:root`,
      '2020-01-01T00:00:00+00:00',
      'not_supported',
      'no_information',
      'not_supported',
      'not_supported',
      'true',
      'false',
      'N/A',
      'N/A',
      'N/A',
      'N/A',
      'false',
      'N/A',
      'N/A',
      'N/A',
      'N/A',
      'false',
      'N/A',
      'false',
      'N/A',
    ].join(','),
  ];
  for (const user of account.users) {
    const keys = options.slotOrder === 'reversed' ? [...user.keys].reverse() : user.keys;
    const slot = (i: number) => {
      const key = keys[i];
      if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
      return [
        String(key.status === 'Active'),
        reportDate(key.createDate),
        reportDate(key.lastUsed),
        key.lastUsed ? 'us-east-1' : 'N/A',
        key.lastUsed ? 's3' : 'N/A',
      ];
    };
    const hasPassword = user.loginProfile !== null;
    lines.push(
      [
        user.name,
        `arn:aws:iam::${accountId}:user/${user.name}`,
        reportDate(user.createDate),
        String(hasPassword),
        hasPassword ? reportDate(user.passwordLastUsed, 'no_information') : 'N/A',
        hasPassword ? reportDate(user.passwordLastChanged ?? user.loginProfile?.createDate ?? null) : 'N/A',
        'N/A',
        'false',
        ...slot(0),
        ...slot(1),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
