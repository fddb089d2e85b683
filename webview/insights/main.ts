// Insights panel entry: calibration, reward-model debugging, estimation quality, budget, rounds.
import '../common/no-eval';
import 'uplot/dist/uPlot.min.css';
import './insights.css';
import { parseInsightsHostMessage, type HostMessage, type InsightsIntent, type InsightsPayload } from '../../src/protocol-insights';
import { h, clear } from '../common/dom';
import { Bridge } from '../common/bridge';
import { CalibrationView } from './calibration-view';
import { agreementView, budgetView, estimationView, rewardDebugView, roundsView } from './tables';
import { stepAuditView } from './step-audit-view';

const TABS = [
  ['calibration', 'Calibration'],
  ['reward', 'Reward model'],
  ['estimation', 'Estimation'],
  ['budget', 'Budget'],
  ['rounds', 'Rounds'],
  ['steps', 'Steps'],
  ['team', 'Annotators'],
] as const;
type Tab = (typeof TABS)[number][0];

class InsightsApp {
  private readonly bridge = new Bridge<HostMessage, InsightsIntent>('insights', parseInsightsHostMessage, (m) => this.onHost(m));
  private tab: Tab = 'calibration';
  private payload: InsightsPayload | null = null;
  private calibration: CalibrationView | null = null;
  private readonly tabBar = h('div', { className: 'tabs', role: 'tablist' });
  private readonly body = h('div', { className: 'tab-panel', role: 'tabpanel' });
  private readonly notice = h('p', { className: 'notice', role: 'status', testId: 'notice' });

  constructor(private readonly root: HTMLElement) {
    clear(root);
    root.append(this.tabBar, this.notice, this.body);
    for (const [id, name] of TABS) {
      const b = h('button', { role: 'tab', testId: `tab-${id}` }, name);
      b.addEventListener('click', () => this.show(id));
      this.tabBar.append(b);
    }
    this.body.append(h('p', { className: 'empty' }, 'Loading…'));
    this.bridge.send({ type: 'ready' });
  }

  private onHost(m: HostMessage): void {
    if (m.kind === 'render') {
      this.payload = m.payload;
      this.notice.textContent = '';
      this.show(this.tab);
    } else if (m.kind === 'error') {
      this.notice.textContent = m.message;
    } else {
      // A reply: the re-render that follows shows the result.
      this.notice.textContent = '';
    }
  }

  private show(tab: Tab): void {
    this.tab = tab;
    this.tabBar.querySelectorAll('button').forEach((b, i) => b.setAttribute('aria-selected', String(TABS[i]![0] === tab)));
    const p = this.payload;
    if (!p) return;
    this.calibration?.destroy();
    this.calibration = null;
    clear(this.body);
    const send = this.bridge.send.bind(this.bridge);
    if (tab === 'calibration') {
      this.calibration = new CalibrationView(p.calibration, send);
      this.body.append(this.calibration.element);
    }
    else if (tab === 'reward') this.body.append(rewardDebugView(p.rewardDebug, send));
    else if (tab === 'estimation') this.body.append(estimationView(p.estimation, send));
    else if (tab === 'budget') this.body.append(budgetView(p.budget));
    else if (tab === 'steps') this.body.append(stepAuditView(p.stepAudit, send));
    else if (tab === 'team') this.body.append(agreementView(p.agreement, send));
    else this.body.append(roundsView(p, send));
  }
}

const root = document.getElementById('app');
if (root) new InsightsApp(root);
