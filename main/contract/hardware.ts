import { z } from 'zod'
import { method } from './define'

export const ProviderStatus = z.object({
  /** onnxruntime's name: cpu, cuda, dml, coreml, webgpu, tensorrt. */
  name: z.string(),
  /** Shipped inside this onnxruntime-node build (else installable or absent). */
  bundled: z.boolean(),
  /** A tiny probe graph ran on it; null when it was not tried (not on this platform). */
  works: z.boolean().nullable(),
  /** Why it does not work or was not tried. */
  reason: z.string().nullable(),
})

export const HardwareInfo = z.object({
  platform: z.string(),
  providers: z.array(ProviderStatus),
  /** The provider the loaded model runs on, and why others were passed over. */
  inUse: z.string().nullable(),
  fallbacks: z.array(z.object({ provider: z.string(), reason: z.string() })),
  /** Linux x64 without the CUDA provider libraries: the install button is offered. */
  cudaInstallable: z.boolean(),
})
export type HardwareInfo = z.infer<typeof HardwareInfo>

export const hardwareMethods = {
  /** Probes each execution provider with a tiny graph (in the compute process). */
  'hardware.get': method(z.object({}), HardwareInfo),
  /** Runs onnxruntime-node's own install script for the CUDA 12 provider (downloads). */
  'hardware.installCuda': method(z.object({}), z.object({ started: z.boolean() })),
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
