// Preloaded by the test and bench scripts (`--import ./test/support/isolated-config.ts`): every
// test process, and the CLI processes it starts, keeps its per-user files (the checkpoint key,
// key approvals) in a temporary folder of its own, never in the user's config folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.HSSTAR_CONFIG_DIR ||= mkdtempSync(join(tmpdir(), 'hsstar-config-'));
