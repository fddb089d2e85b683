// Inspector webview entry: registers the controls and starts the page.
import '../common/no-eval';
import { registerComponents } from '../components/index';
import { InspectorApp } from './app';

registerComponents();
const root = document.getElementById('app');
if (root) new InspectorApp(root);
