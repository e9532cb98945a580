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
  /**
   * The route's answer as stored, when `result` (what a unit of work's work returned) is it; null when it is
   * not (a first step of a change that spans transactions). Lets every transaction that produces the answer
   * store it with the change, without the service doing anything.
   */
  render?: (result: unknown) => string | null;
  /** Set once a transaction stored the response (and what it stored). */
  responded?: boolean;
  storedBody?: string;
  /** Set once a transaction under the key committed. */
  committed?: boolean;
}
