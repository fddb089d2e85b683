// Lets `require('dist/extension.js')` load outside VS Code for the activation timing:
// the bundle's top level only defines classes that extend these.
const Module = require('node:module');
const load = Module._load;
class Base {}
const shim = { TreeItem: Base, EventEmitter: Base, ThemeIcon: Base, ThemeColor: Base, Disposable: Base };
Module._load = function (request, ...rest) {
  return request === 'vscode' ? shim : load.call(this, request, ...rest);
};
