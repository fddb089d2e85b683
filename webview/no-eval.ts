// Imported first: schemas are checked without generated code, as the page's CSP forbids eval.
import { config } from 'zod';

config({ jitless: true });
