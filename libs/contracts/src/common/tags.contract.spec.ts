import { describe, expect, it } from '@jest/globals';
import { createExperimentRequestSchema, updateExperimentRequestSchema } from '../experiments/experiment.contract';
import { createRunRequestSchema, logBatchRequestSchema } from '../experiments/run.contract';
import { createModelRequestSchema } from '../registry/model.contract';
import { TAG_LIMITS, tagsSchema } from './tags.contract';

const issuesOf = (value: unknown) => (tagsSchema.safeParse(value).error?.issues ?? []).map((issue) => ({ path: issue.path, message: issue.message }));

describe('tagsSchema: one shape for tags, an object of string to string', () => {
  it('accepts key → value objects, empty ones too', () => {
    expect(tagsSchema.parse({ team: 'fraud', 'mlflow.source/git:sha': 'abc', 'owner name': '' })).toEqual({
      team: 'fraud',
      'mlflow.source/git:sha': 'abc',
      'owner name': '',
    });
    expect(tagsSchema.parse({})).toEqual({});
  });

  it('refuses the list of pairs, and names the key whose value or key is wrong', () => {
    expect(issuesOf([{ key: 'team', value: 'fraud' }])).toEqual([{ path: [], message: expect.stringContaining('expected record') }]);
    expect(issuesOf({ team: 5 })).toEqual([{ path: ['team'], message: expect.stringContaining('expected string') }]);
    expect(issuesOf({ 'bad key!': 'x' })).toEqual([{ path: ['bad key!'], message: 'Invalid key in record' }]);
    expect(issuesOf({ ' team': 'x' })).toEqual([{ path: [' team'], message: 'Invalid key in record' }]);
    expect(issuesOf({ ['k'.repeat(TAG_LIMITS.keyLength + 1)]: 'x' })).toHaveLength(1);
    expect(issuesOf({ team: 'v'.repeat(TAG_LIMITS.valueLength + 1) })).toEqual([{ path: ['team'], message: expect.stringContaining('5000') }]);
    expect(issuesOf({ team: 'a\u0000b' })).toEqual([{ path: ['team'], message: 'NUL characters are not allowed' }]);
  });

  it('bounds the number of tags in one request', () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));
    expect(tagsSchema.safeParse(tags(TAG_LIMITS.tagsPerRequest)).success).toBe(true);
    expect(issuesOf(tags(TAG_LIMITS.tagsPerRequest + 1))).toEqual([{ path: [], message: `at most ${TAG_LIMITS.tagsPerRequest} tags` }]);
  });

  it('is what runs, log batches, experiments and models take; absent tags default to {}', () => {
    expect(createRunRequestSchema.parse({ experimentName: 'e' }).tags).toEqual({});
    expect(createRunRequestSchema.parse({ experimentName: 'e', tags: { team: 'risk' } }).tags).toEqual({ team: 'risk' });
    expect(logBatchRequestSchema.parse({ tags: { phase: 'main' } })).toEqual({ metrics: [], params: [], tags: { phase: 'main' } });
    // A batch of nothing but an empty tags object is still an empty batch.
    expect(logBatchRequestSchema.safeParse({ tags: {} }).success).toBe(false);
    expect(createExperimentRequestSchema.parse({ name: 'e' }).tags).toEqual({});
    expect(updateExperimentRequestSchema.parse({ tags: {} }).tags).toEqual({});
    expect(createModelRequestSchema.parse({ name: 'm', tags: { team: 'risk' } }).tags).toEqual({ team: 'risk' });
    for (const schema of [createRunRequestSchema, createExperimentRequestSchema]) {
      expect(schema.safeParse({ name: 'e', experimentName: 'e', tags: [{ key: 'a', value: 'b' }] }).error?.issues[0].path).toEqual(['tags']);
    }
  });
});
