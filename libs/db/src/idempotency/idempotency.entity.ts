/** Who sent a create, to which route, under which key: a key is unique within its scope and nowhere else. */
export interface IdempotencyScope {
  principal: string;
  method: string;
  route: string;
  key: string;
}

/** A key's record: in flight until the first change under it commits; answered from `response` once stored. */
export interface IdempotencyRecord {
  id: string;
  scope: IdempotencyScope;
  fingerprint: string;
  committedAt: Date | null;
  response: { status: number; body: string } | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The outcome of claiming a key: this request owns it now, or another request with the key came first. */
export type IdempotencyClaimResult = { claimed: true; record: IdempotencyRecord } | { claimed: false; record: IdempotencyRecord };

/**
 * Carried with the change context of a request that holds a key: every unit of work it runs marks the key
 * committed in the same transaction, and `Transaction.respond` stores the answer there too.
 */
export interface IdempotencyClaim {
  id: string;
  /** The status the route answers on success (201, 200). */
  status: number;
  /** Set once a transaction stored the response; the request then has nothing left to write. */
  responded?: boolean;
  /** Set once a transaction under the key committed. */
  committed?: boolean;
}
