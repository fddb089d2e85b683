// Inspector webview entry; renders what the extension posts.
export {};
