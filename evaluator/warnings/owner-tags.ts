import { type IAMClient, paginateListUserTags } from '@aws-sdk/client-iam';
import type { CallCounter } from '../facts/types';

/**
 * The configured owner tags of one user (ListUserTags, only for users being warned). Keys match
 * case-insensitively and come back as configured, so "Owner" on the user fills "owner".
 */
export async function readOwnerTags(
  iam: IAMClient,
  userName: string,
  keys: readonly string[],
  calls: CallCounter,
): Promise<Record<string, string>> {
  const wanted = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const found: Record<string, string> = {};
  for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
    calls.count('ListUserTags');
    for (const tag of page.Tags ?? []) {
      const key = wanted.get((tag.Key ?? '').toLowerCase());
      if (key !== undefined && found[key] === undefined) found[key] = tag.Value ?? '';
    }
  }
  return found;
}
