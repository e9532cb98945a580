// The algorithms draw from @slipway/ml-evaluation's seeded PRNG (the lower lib: algorithms depends on it, not
// the other way), under the names this lib has always exported.
export { createSeededRandom as createRandom, shuffle as shuffleInPlace, type SeededRandom as Random } from '@slipway/ml-evaluation';
