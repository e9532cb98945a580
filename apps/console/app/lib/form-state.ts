/** What a form shows after its server action ran: nothing yet, a confirmation, or the API's (or validation's) message. */
export type FormState = { status: 'idle' } | { status: 'done'; message: string } | { status: 'error'; message: string; code?: string; httpStatus?: number };

export const idleFormState: FormState = { status: 'idle' };
