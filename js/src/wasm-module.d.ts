// workerd imports the .wasm file as a compiled module (see workerd.ts).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
