// Imported first by every webview entry (inspector and insights). zod compiles fast parsers
// with `new Function` when it may, deciding as each schema is built; the pages' CSP forbids
// eval, so this runs before any schema module is loaded and the schemas stay jitless.
import { config } from 'zod';

config({ jitless: true });
