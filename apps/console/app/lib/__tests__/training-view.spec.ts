import { describe, expect, it } from '@jest/globals';
import type { TrainingJobView } from '@slipway/contracts';
import { epochCharts, foldTableFromHistories, formatDuration, isActiveJob, progressFraction, progressText } from '../training-view';

type Progress = NonNullable<TrainingJobView['progress']>;

function progress(fields: Partial<Progress>): Progress {
  return { step: 0, phase: 'training', fold: null, folds: null, epoch: null, epochs: null, metrics: {}, updatedAt: '2026-12-01T00:00:00.000Z', ...fields };
}

describe('training job view', () => {
  it('says where a job is in words, from its last progress event', () => {
    expect(progressText({ status: 'QUEUED', progress: null })).toBe('waiting for a worker');
    expect(progressText({ status: 'RUNNING', progress: null })).toBe('starting');
    expect(progressText({ status: 'RUNNING', progress: progress({ epoch: 3, epochs: 50 }) })).toBe('epoch 3/50 · training');
    expect(progressText({ status: 'RUNNING', progress: progress({ fold: 2, folds: 5 }) })).toBe('fold 2/5 · training');
    expect(progressText({ status: 'RUNNING', progress: progress({ fold: null, folds: 5, phase: 'saving' }) })).toBe('final fit after 5 folds · saving');
    expect(progressText({ status: 'SUCCEEDED', progress: progress({ fold: 5, folds: 5, phase: 'registering' }) })).toBe('finished');
    expect(progressText({ status: 'CANCELLED', progress: progress({ epoch: 3, epochs: 50 }) })).toBe('cancelled while training');
    expect(progressText({ status: 'FAILED', progress: null })).toBe('failed');
  });

  it('counts k folds and the final fit as k + 1 equal fits, and shows no share it cannot know', () => {
    expect(progressFraction({ status: 'RUNNING', progress: progress({ fold: 1, folds: 5 }) })).toBe(0);
    expect(progressFraction({ status: 'RUNNING', progress: progress({ fold: 3, folds: 5, epoch: 5, epochs: 10 }) })).toBeCloseTo(2.5 / 6);
    expect(progressFraction({ status: 'RUNNING', progress: progress({ fold: null, folds: 5 }) })).toBeCloseTo(5 / 6);
    expect(progressFraction({ status: 'RUNNING', progress: progress({ epoch: 10, epochs: 40 }) })).toBe(0.25);
    // A tree on a hold-out split reports phases only: no made-up percentage.
    expect(progressFraction({ status: 'RUNNING', progress: progress({ phase: 'evaluating' }) })).toBeNull();
    expect(progressFraction({ status: 'SUCCEEDED', progress: null })).toBe(1);
    expect(progressFraction({ status: 'FAILED', progress: progress({ epoch: 1, epochs: 2 }) })).toBeNull();
  });

  it('treats queued and running jobs as active, the rest as ended', () => {
    expect(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'].map((s) => isActiveJob(s as TrainingJobView['status']))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('charts a per-epoch metric with its validation counterpart, and leaves fold and final metrics out', () => {
    const charts = epochCharts([
      { key: 'epoch/val_loss', points: [{ step: 1, value: 0.9 }] },
      { key: 'epoch/loss', points: [{ step: 1, value: 1 }] },
      { key: 'epoch/accuracy', points: [{ step: 1, value: 0.5 }] },
      { key: 'fold/accuracy', points: [{ step: 1, value: 0.9 }] },
      { key: 'accuracy', points: [{ step: 0, value: 0.9 }] },
    ]);
    expect(charts.map((c) => [c.title, c.series.map((s) => s.name)])).toEqual([
      ['loss', ['epoch/loss', 'epoch/val_loss']],
      ['accuracy', ['epoch/accuracy']],
    ]);
  });

  it('fills the fold table from fold/<metric> histories (step = fold), in fold order, as folds finish', () => {
    const table = foldTableFromHistories([
      {
        key: 'fold/f1_macro',
        points: [
          { step: 2, value: 0.8 },
          { step: 1, value: 0.7 },
        ],
      },
      { key: 'fold/accuracy', points: [{ step: 1, value: 0.75 }] },
      { key: 'epoch/loss', points: [{ step: 1, value: 1 }] },
    ]);
    expect(table).toEqual({
      metrics: ['accuracy', 'f1_macro'],
      rows: [
        { fold: 1, values: { accuracy: 0.75, f1_macro: 0.7 } },
        { fold: 2, values: { f1_macro: 0.8 } },
      ],
    });
  });

  it('writes durations at a readable scale', () => {
    expect([formatDuration(850), formatDuration(12_340), formatDuration(245_900)]).toEqual(['850 ms', '12.3 s', '4 min 05 s']);
  });
});
