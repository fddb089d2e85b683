// Opens a project folder and prints how long it took and the peak RSS, as one JSON line.
// Run in its own process so the figure is the cost of opening alone.
import { ProjectStore } from '../../src/store/project';

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { store, recovery } = await ProjectStore.open(process.argv[2]!, { write: false });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// CPU time as well as wall time: on a shared machine the wall clock also counts waiting.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const counts = store.counts();
// Touch a few texts to show they read back.
const sample = store.responsesOf(store.problems()[0]!.id).length;
await store.close();
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ seconds, cpuSeconds, peakRssMB, responses: counts.responses, sample, torn: recovery.torn.length }) + '\n');
