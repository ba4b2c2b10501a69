// Wrangler (and the vitest plugin) turn `import x from '*.wasm'` into a
// WebAssembly.Module compiled at deploy time: the only way production workerd
// allows WebAssembly (it refuses WebAssembly.compile/instantiate of bytes).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
