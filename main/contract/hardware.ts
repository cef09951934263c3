import { z } from 'zod'
import { method } from './define'

/**
 * works: the probe graph ran. not_in_build: this onnxruntime-node build lacks it (another OS's
 * provider). not_installed: its library is a separate download. no_adapter: no GPU driver it
 * can use. failed: it was there and failed.
 */
export const ProviderState = z.enum([
  'works',
  'not_in_build',
  'not_installed',
  'no_adapter',
  'failed',
])
export type ProviderState = z.infer<typeof ProviderState>

export const GpuDevice = z.object({ vendor: z.string(), name: z.string() })
export type GpuDevice = z.infer<typeof GpuDevice>

export const ProviderStatus = z.object({
  /** onnxruntime's name: cpu, cuda, dml, coreml, webgpu, tensorrt. */
  name: z.string(),
  /** Shipped inside this onnxruntime-node build (else installable or absent). */
  bundled: z.boolean(),
  /** A tiny probe graph ran on it; null when it was not tried (not on this platform). */
  works: z.boolean().nullable(),
  state: ProviderState,
  /** Why it does not work or was not tried, in a sentence a person understands. */
  reason: z.string().nullable(),
  /** onnxruntime's own message, for the curious (behind a details toggle). */
  details: z.string().nullable(),
  /** The GPU a GPU provider runs on; software: a CPU emulating one (SwiftShader). */
  adapter: GpuDevice.extend({ software: z.boolean() }).nullable(),
})

export const HardwareInfo = z.object({
  platform: z.string(),
  providers: z.array(ProviderStatus),
  /** The provider the loaded model runs on, and why others were passed over. */
  inUse: z.string().nullable(),
  fallbacks: z.array(z.object({ provider: z.string(), reason: z.string() })),
  /** The GPUs this machine has (Linux: PCI display devices; Apple silicon). */
  gpus: z.array(GpuDevice),
  /** Linux x64 with an NVIDIA GPU but without the CUDA provider libraries: offered. */
  cudaInstallable: z.boolean(),
})
export type HardwareInfo = z.infer<typeof HardwareInfo>

export const ProviderSpeed = z.object({
  provider: z.string(),
  /** Decode speed on the selected model; null when it did not run there (see error). */
  tokensPerSecond: z.number().positive().nullable(),
  /** e.g. "software adapter (SwiftShader on Vulkan)". */
  note: z.string().nullable(),
  error: z.string().nullable(),
})
export type ProviderSpeed = z.infer<typeof ProviderSpeed>

export const hardwareMethods = {
  /** Probes each execution provider with a tiny graph (in the compute process). */
  'hardware.get': method(z.object({}), HardwareInfo),
  /** Runs onnxruntime-node's own install script for the CUDA 12 provider (downloads). */
  'hardware.installCuda': method(z.object({}), z.object({ started: z.boolean() })),
  /**
   * Decodes a few tokens of the selected model on each provider that works here, one after
   * the other (the chat model is unloaded first and reloads on the next message).
   */
  'hardware.benchmark': method(
    z.object({ tokens: z.number().int().min(4).max(256).default(32) }),
    z.object({ modelName: z.string(), results: z.array(ProviderSpeed) }),
  ),
}

export const hardwareEvents = {
  'hardware.installProgress': z.object({
    line: z.string(),
    done: z.boolean(),
    ok: z.boolean().nullable(),
    /** When it failed: what happened, in a sentence (offline, not Linux x64 ...). */
    explanation: z.string().nullable(),
  }),
}
