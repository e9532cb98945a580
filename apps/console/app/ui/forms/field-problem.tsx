/** A dotted path as an element id: `hyperparameters.hiddenLayers.0.units` → `f-hyperparameters-hiddenLayers-0-units`. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** The border of an input: red while it has a problem. */
export const fieldBorder = (problem: string | undefined) => (problem ? 'border-red-500 bg-red-50' : 'border-slate-300');

/** The `aria-describedby` of an input with an id of `fieldId(path)`: its problem, then its hint, when shown. */
export function describedByOf(id: string, problem: string | undefined, hasHint: boolean): string | undefined {
  return [problem ? `${id}-problem` : '', hasHint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
}

/** A field's problem under it, where `describedByOf` points. The test ids let journeys find problems by path. */
export function FieldProblemText({ path, problem }: { path: string; problem: string | undefined }) {
  if (!problem) return null;
  return (
    <p id={`${fieldId(path)}-problem`} className="mt-1 text-xs text-red-700" data-testid="field-problem" data-field={path}>
      {problem}
    </p>
  );
}
