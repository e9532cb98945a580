import { describe, expect, it } from '@jest/globals';
import { rolloutPlanSchema, type DeploymentRevisionView } from '@slipway/contracts';
import { defaultPlanDraft, draftOfPlan, planOfDraft, secondsUntil, trafficSplit } from '../deployment-view';

function revision(fields: Partial<DeploymentRevisionView>): DeploymentRevisionView {
  return {
    revision: 1,
    action: 'CREATE',
    stable: { versionId: '00000000-0000-4000-8000-000000000001', version: 1 },
    canary: null,
    shadow: null,
    rolloutPlan: null,
    rolloutStep: null,
    reason: '',
    createdBy: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    ...fields,
  };
}

describe('deployment view', () => {
  it('splits answered traffic between stable and canary; a shadow takes no share', () => {
    expect(trafficSplit(revision({}))).toEqual([{ role: 'stable', version: 1, percent: 100 }]);
    expect(
      trafficSplit(
        revision({
          canary: { versionId: '00000000-0000-4000-8000-000000000002', version: 2, percent: 10, sticky: null },
          shadow: { versionId: '00000000-0000-4000-8000-000000000003', version: 3, percent: 100 },
        }),
      ),
    ).toEqual([
      { role: 'stable', version: 1, percent: 90 },
      { role: 'canary', version: 2, percent: 10 },
    ]);
  });

  it('counts down to the next analysis in whole seconds, never below zero', () => {
    const now = Date.parse('2026-12-01T00:00:00.000Z');
    expect(secondsUntil('2026-12-01T00:00:30.000Z', now)).toBe(30);
    expect(secondsUntil('2026-12-01T00:00:00.400Z', now)).toBe(1);
    expect(secondsUntil('2026-11-30T23:59:00.000Z', now)).toBe(0);
  });

  it('turns the plan editor into a request the contract accepts, leaving blank gates out', () => {
    const plan = rolloutPlanSchema.parse(planOfDraft(defaultPlanDraft));
    expect(plan).toEqual({ steps: [10, 50], intervalSeconds: 60, minRequestsPerStep: 100, gates: { maxErrorRate: 0.05 } });
    expect(draftOfPlan(plan).steps).toBe('10, 50');
    expect(rolloutPlanSchema.parse(planOfDraft(draftOfPlan(plan)))).toEqual(plan);
  });

  it('sends text that is not a number as typed, so the contract names the field', () => {
    const result = rolloutPlanSchema.safeParse(planOfDraft({ ...defaultPlanDraft, intervalSeconds: 'soon', steps: '50, 10' }));
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['intervalSeconds', 'steps']));
  });
});
