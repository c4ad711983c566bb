/**
 * A loaded PKCS#11 library through graphene: load → initialize → slots → finalize (PKCS#11 v2.40 §5.4).
 * graphene-pk11 is CommonJS, so it is imported as a default and destructured.
 */
import { existsSync } from 'node:fs';
import graphene from 'graphene-pk11';
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import type { Module, Slot } from 'graphene-pk11';
import type { ModuleInfo } from '../../src-shared/contract/schemas/token.js';
import { traceBinding, type TraceSink } from './call-trace.js';
import type { ResolvedModule } from './module-resolver.js';
import { toModuleInitError, toModuleLoadError, toTokenError } from './pkcs11-errors.js';

const { Module: GrapheneModule } = graphene;

const version = (v: { major: number; minor: number }): string => `${v.major}.${v.minor}`;

/** One PKCS#11 library, loaded once and initialized until finalize(). */
export class Pkcs11Module {
  readonly resolved: ResolvedModule;
  private readonly module: Module;
  private initialized = false;
  private osLocking = false;

  private constructor(resolved: ResolvedModule, module: Module) {
    this.resolved = resolved;
    this.module = module;
  }

  /**
   * dlopen()s the library; a missing file is TOKEN_MODULE_NOT_FOUND, a non-PKCS#11 file TOKEN_MODULE_INVALID.
   * With `trace`, every PKCS#11 call to it is reported there (call-trace.ts), from C_GetFunctionList on.
   */
  static load(resolved: ResolvedModule, options: { trace?: TraceSink | undefined } = {}): Pkcs11Module {
    if (!existsSync(resolved.path)) throw toModuleLoadError(null, resolved.path, false);
    try {
      // What graphene's Module.load does (graphene-pk11 2.3.6 module.js), with the binding traced before
      // load(): its C_GetFunctionList is a PKCS#11 call too.
      const lib = new pkcs11js.PKCS11();
      if (options.trace) traceBinding(lib, options.trace, resolved.path);
      lib.load(resolved.path);
      const module = new GrapheneModule(lib);
      module.libFile = resolved.path;
      module.libName = resolved.name ?? resolved.path;
      return new Pkcs11Module(resolved, module);
    } catch (error) {
      throw toModuleLoadError(error, resolved.path, existsSync(resolved.path));
    }
  }

  /** C_Initialize (idempotent here; graphene also absorbs CKR_CRYPTOKI_ALREADY_INITIALIZED). */
  initialize(): void {
    if (this.initialized) return;
    try {
      // CKF_OS_LOCKING_OK lets key generation and signing run on libuv's threads (the *Async calls)
      // while the main thread talks to another token (PKCS#11 v2.40 §5.4, CK_C_INITIALIZE_ARGS).
      this.module.initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
      this.osLocking = true;
    } catch (error) {
      if (!/CKR_CANT_LOCK/.test(error instanceof Error ? error.message : '')) throw toModuleInitError(error, this.resolved.path);
      try {
        this.module.initialize();
      } catch (retryError) {
        throw toModuleInitError(retryError, this.resolved.path);
      }
      this.osLocking = false;
    }
    this.initialized = true;
  }

  /**
   * C_Finalize + C_Initialize: the only way some modules (SoftHSM2) notice tokens created or deleted
   * by another process. Invalidates every session and handle of this process for this library.
   */
  reinitialize(): void {
    this.finalize();
    this.initialize();
  }

  /** C_Finalize; safe to call when not initialized. */
  finalize(): void {
    if (!this.initialized) return;
    this.initialized = false;
    try {
      this.module.finalize();
    } catch (error) {
      throw toTokenError(error, 'C_Finalize');
    }
  }

  /** Finalizes and unloads the library. */
  close(): void {
    try {
      this.finalize();
    } finally {
      this.module.close();
    }
  }

  /** The pkcs11js binding, for calls graphene does not batch or does not make asynchronous. */
  get lib(): PKCS11 {
    return this.module.lib;
  }

  /** True when the library accepted CKF_OS_LOCKING_OK, so calls may run off the main thread. */
  get threadSafe(): boolean {
    return this.osLocking;
  }

  /** True between C_Initialize and C_Finalize. */
  get isInitialized(): boolean {
    return this.initialized;
  }

  /** C_GetInfo as the contract's ModuleInfo. */
  info(): ModuleInfo {
    return {
      path: this.resolved.path,
      source: this.resolved.source,
      name: this.resolved.name,
      libraryDescription: this.module.libraryDescription,
      manufacturer: this.module.manufacturerID,
      libraryVersion: version(this.module.libraryVersion),
      cryptokiVersion: version(this.module.cryptokiVersion),
    };
  }

  /** C_GetSlotList(tokenPresent) + C_GetSlotInfo per slot. */
  slots(tokenPresent: boolean): Slot[] {
    try {
      return [...this.module.getSlots(tokenPresent)];
    } catch (error) {
      throw toTokenError(error, 'C_GetSlotList');
    }
  }
}
