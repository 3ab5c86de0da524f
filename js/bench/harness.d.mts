// Types of the parts of harness.mjs that TypeScript imports (the gateway's load benchmark).

/** A seeded sfc32 generator. */
export declare function prng(seed: number): { u32(): number; float(): number; below(n: number): number };

/** Zipf(s) sampler over ranks [0, n): inverse CDF by binary search. */
export declare function zipfSampler(n: number, s: number, rand: { float(): number }): () => number;
