// The engine compiles with lib ES2022 only, which does not declare WebAssembly (lib.dom and
// lib.webworker do). These are exactly the members engine/nmf/wasm uses; they merge cleanly with
// those libs' declarations if engine sources are compiled with them. No public signature mentions
// them, so projects consuming the engine's emitted .d.ts never need this file.
declare namespace WebAssembly {
  interface Module {}
  const Module: { new (bytes: Uint8Array): Module };

  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  const Memory: { new (descriptor: { initial: number; maximum?: number }): Memory };

  interface Global {
    readonly value: unknown;
  }

  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  const Instance: { new (module: Module, imports: Record<string, Record<string, unknown>>): Instance };

  function validate(bytes: Uint8Array): boolean;
  function compile(bytes: Uint8Array): Promise<Module>;
}
