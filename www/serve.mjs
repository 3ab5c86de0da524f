// Serves the demo page (www/) on http://127.0.0.1:8080/ (loopback only), with the
// repository's one static server (js/scripts/static-server.mjs).
//
//   node www/serve.mjs            (npm --prefix js run serve builds first, then this)
//   PORT=9000 node www/serve.mjs

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../js/scripts/static-server.mjs';

const www = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 8080);
try {
  const { url } = await serve({ root: www, port });
  console.log(`Serving www/ at ${url}  (Ctrl-C to stop)`);
} catch (error) {
  console.error(`Could not serve www/ on 127.0.0.1:${process.env.PORT ?? 8080}: ${error.message}`);
  process.exit(1);
}
