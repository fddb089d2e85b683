import { ProjectStore } from '../src/store/project.ts';
import { stateOf } from '../src/pipeline/derive-from-store.ts';
const t0 = performance.now();
const { store } = await ProjectStore.open(process.argv[2]!, { write: false });
const t1 = performance.now();
const state = await stateOf(store);
const t2 = performance.now();
console.log('index', ((t1 - t0) / 1000).toFixed(2), 'derive', ((t2 - t1) / 1000).toFixed(2), state.problems.length, Math.round(process.resourceUsage().maxRSS / 1024), 'MB');
await store.close();
