import { gridIssues } from './grid';
import { spaceIssues } from './space';
import type { SamplerConfig, SearchSpaceInput, SpaceIssue } from './types';

/**
 * Every reason the sampler cannot run on this space, each with the field path inside the space (`lr.step`,
 * `units.when.in`; '' for the space as a whole); [] when it can. The API prefixes the paths with its own field name.
 */
export function validateSpaceForSampler(space: SearchSpaceInput, sampler: SamplerConfig['kind']): SpaceIssue[] {
  const issues = spaceIssues(space);
  if (issues.length) return issues;
  return sampler === 'grid' ? gridIssues(space) : [];
}
