import type { z } from 'zod';

/** One problem with a message, by dotted path. */
export interface MessageIssue {
  path: string;
  message: string;
}

function issuesOf(error: z.ZodError): MessageIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(message)', message: issue.message }));
}

/**
 * A message that does not match its queue's schema. Thrown by `send` (nothing is queued); at `work`
 * the job fails for good with this as its output, since no retry can make the message valid.
 */
export class InvalidJobMessageError extends Error {
  readonly issues: MessageIssue[];

  constructor(
    readonly queue: string,
    readonly direction: 'send' | 'receive',
    error: z.ZodError,
  ) {
    const issues = issuesOf(error);
    super(
      `${direction === 'send' ? 'not sent to' : 'received on'} queue ${queue}: invalid message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidJobMessageError';
    this.issues = issues;
  }
}

/** Thrown by a handler for a failure no retry can fix (the row it names is gone, say): the job fails without retrying. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** The queue refused a job: a duplicate under a singleton key or inside a throttle window. */
export class JobRefusedError extends Error {
  constructor(
    readonly queue: string,
    readonly singletonKey: string | undefined,
  ) {
    super(`queue ${queue} refused the job (duplicate singleton key ${singletonKey ?? '(none)'})`);
    this.name = 'JobRefusedError';
  }
}

/** Why a job's signal was aborted: its reason, so a handler can tell a shutdown from a cancellation. */
export class JobInterruptedError extends Error {
  constructor(
    readonly reason: 'shutdown' | 'cancelled' | 'expired',
    message: string,
  ) {
    super(message);
    this.name = 'JobInterruptedError';
  }
}
