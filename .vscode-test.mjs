// The extension-host suites for machines that can download VS Code. The shape is
// @vscode/test-cli's (label, files, launchArgs, mocha), so `vscode-test` can read it too;
// `npm run test:electron` (scripts/test-electron.mjs, on @vscode/test-electron) reads it
// and runs each suite's bundled index.js. Offline, `npm run test:host` runs the same
// bundles in the served VS Code instead.
export default [
  {
    label: 'trusted',
    files: 'out/test-host/trusted/*.test.js',
    launchArgs: ['--disable-workspace-trust', '--disable-extensions'],
    version: process.env.HSSTAR_VSCODE_VERSION ?? 'stable',
    mocha: { ui: 'bdd', timeout: 60_000 },
  },
  {
    label: 'restricted',
    files: 'out/test-host/restricted/*.test.js',
    launchArgs: ['--disable-extensions'],
    version: process.env.HSSTAR_VSCODE_VERSION ?? 'stable',
    mocha: { ui: 'bdd', timeout: 60_000 },
  },
];
