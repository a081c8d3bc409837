import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';

/** What a one-time link is for: an invitation sets the first password, a reset a new one. */
export type LinkPurpose = 'invite' | 'reset';

/** How long a link works: an invitation a week, a reset an hour. */
export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  invite: 7 * 86_400_000,
  reset: 3_600_000,
};

/** The portal page each link opens. */
export const LINK_PATH: Record<LinkPurpose, string> = {
  invite: '/set-password',
  reset: '/reset-password',
};

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A token of 256 random bits, URL-safe: 43 characters. */
export const newLinkToken = () => randomBytes(32).toString('base64url');

/** A token as it may arrive in a URL or a body: anything else is refused before any query. */
export const LINK_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedLink {
  userId: string;
  tokenId: string;
  url: string;
  expiresAt: string;
}

/**
 * Issues one link per account in one batch, whatever their number: the tokens are drawn here
 * (the raw token must reach the message while only its hash is stored), the earlier open links
 * of the same purpose are superseded in one UPDATE and the new ones written in one INSERT over
 * arrays. Answers the links for the outbox.
 */
export async function issueLinks(
  em: EntityManager,
  purpose: LinkPurpose,
  userIds: readonly string[],
  opts: { baseUrl: string; now: Date; createdBy: string | null },
): Promise<IssuedLink[]> {
  if (userIds.length === 0) return [];
  const tokens = userIds.map(() => newLinkToken());
  const expiresAt = new Date(opts.now.getTime() + LINK_TTL_MS[purpose]).toISOString();
  await em.query(
    `UPDATE account_tokens SET superseded_at = $3
      WHERE user_id = ANY($1::uuid[]) AND purpose = $2
        AND used_at IS NULL AND superseded_at IS NULL`,
    [userIds, purpose, opts.now.toISOString()],
  );
  const rows = await em.query<{ id: string; token_hash: string }[]>(
    `INSERT INTO account_tokens (user_id, purpose, token_hash, created_by, created_at, expires_at)
     SELECT t.user_id, $3, t.token_hash, $4::uuid, $5::timestamptz, $6::timestamptz
       FROM unnest($1::uuid[], $2::text[]) AS t(user_id, token_hash)
     RETURNING id, token_hash`,
    [userIds, tokens.map(sha256), purpose, opts.createdBy, opts.now.toISOString(), expiresAt],
  );
  const idByHash = new Map(rows.map((r) => [r.token_hash, r.id]));
  return userIds.map((userId, i) => ({
    userId,
    tokenId: idByHash.get(sha256(tokens[i]))!,
    url: `${opts.baseUrl}${LINK_PATH[purpose]}/${tokens[i]}`,
    expiresAt,
  }));
}
