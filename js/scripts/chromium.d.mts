// Types of chromium.mjs, for the TypeScript that imports it (the gateway's browser test).

/** The Chromium binary. */
export declare const CHROMIUM: string;

/** Flags for a headless run without a sandbox, GPU, shared memory or background traffic. */
export declare const CHROMIUM_ARGS: readonly string[];
