// The extension-host suites for machines that can download VS Code (@vscode/test-electron).
// Here, offline, `npm run test:host` runs the same bundles in the served VS Code instead.
// Each entry: the suite folder under out/test-host/ and whether its workspace is trusted.
export default {
  suites: [
    { name: 'trusted', tests: 'out/test-host/trusted/index.js', trusted: true },
    { name: 'restricted', tests: 'out/test-host/restricted/index.js', trusted: false },
  ],
  version: process.env.HSSTAR_VSCODE_VERSION ?? 'stable',
};
