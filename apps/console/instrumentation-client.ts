import { z } from 'zod';

// Runs in the browser before the console's own code. Zod compiles its object parsers with `new Function` when
// it may, and probes for that with one `new Function('')`; under the console's Content-Security-Policy (no
// 'unsafe-eval') the probe is refused and reported as a violation, then zod falls back anyway. Saying so up
// front keeps the policy's violation reports meaningful.
z.config({ jitless: true });
