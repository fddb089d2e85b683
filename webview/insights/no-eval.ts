import { z } from 'zod';

// zod compiles fast parsers with `new Function` when it may, deciding as each schema is
// built; the panel's CSP forbids eval, so this runs before any schema module is loaded.
z.config({ jitless: true });
