import { useRef, useState, type FormEvent } from 'react';
import type { ActionOutcome } from '../../lib/action-result';
import type { FieldProblem } from '../../lib/hyperparameter-form';
import { fieldId } from './field-problem';

/** Whether a field with this path is on the page (else its problem goes in the form's summary list). */
export function isPlacedField(path: string): boolean {
  return typeof document !== 'undefined' && document.getElementById(fieldId(path)) !== null;
}

/** Focuses the field with this path: the field itself, or the value input of a choice. */
export function focusField(path: string) {
  const element = document.getElementById(`${fieldId(path)}-value`) ?? document.getElementById(fieldId(path));
  element?.focus();
}

type Refusal = { message: string; httpStatus?: number; code?: string };

/**
 * Submits a create form through its server action. A submit with problems only marks them and focuses the
 * first; otherwise the body goes with an Idempotency-Key that is kept while the body is unchanged, so a double
 * click answers the first request and an edited form makes a new resource. A refusal's field problems are kept
 * beside the fields until the next edit (`clearAnswer`).
 */
export function useActionSubmit<B>({
  request,
  problems,
  send,
  onDone,
}: {
  request: B;
  problems: readonly FieldProblem[];
  send: (request: B, idempotencyKey: string) => Promise<ActionOutcome<{ id: string }>>;
  onDone: (id: string) => void;
}) {
  const [serverProblems, setServerProblems] = useState<FieldProblem[]>([]);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const submission = useRef<{ body: string; key: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAttempted(true);
    const [first] = problems;
    if (first) {
      focusField(first.field);
      return;
    }
    const body = JSON.stringify(request);
    if (submission.current?.body !== body) submission.current = { body, key: crypto.randomUUID() };
    setSubmitting(true);
    setRefusal(null);
    try {
      const result = await send(request, submission.current.key);
      if (result.ok) {
        onDone(result.data.id);
        return;
      }
      setServerProblems(result.fields);
      setRefusal({ message: result.message, httpStatus: result.httpStatus, code: result.code });
      if (result.fields[0]) focusField(result.fields[0].field);
    } finally {
      setSubmitting(false);
    }
  }

  function clearAnswer() {
    setServerProblems([]);
    setRefusal(null);
  }

  const unplaced = [...serverProblems, ...(attempted ? problems : [])].filter((p) => !isPlacedField(p.field));
  return { submit, clearAnswer, serverProblems, refusal, submitting, attempted, unplaced };
}
