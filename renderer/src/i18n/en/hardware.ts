export default {
  title: 'Hardware',
  probing: 'Probing…',
  probe: 'Probe again',
  platform: 'Platform {{platform}}. In use:',
  noModel: 'no model loaded yet',
  provider: 'Provider',
  inBuild: 'In this build',
  works: 'Works here',
  whyNot: 'Why not',
  bundled: 'bundled',
  notBundled: 'not bundled',
  yes: 'yes',
  no: 'no',
  fallbacks: 'Fallbacks',
  cudaNote:
    'The CUDA provider is not installed. onnxruntime-node downloads it from NuGet (about 300 MB) with its own install script; it needs an NVIDIA driver and CUDA 12.',
  install: 'Install the CUDA provider',
  installing: 'Installing…',
  details: 'Details',
  gpus: 'GPUs in this machine: {{list}}.',
  noGpus:
    'No GPU was found in this machine (WebGPU can still run on a software adapter when asked).',
  adapter: {
    software: 'runs on {{name}}, a software adapter: correct, but slower than the CPU. ',
    gpu: 'runs on {{name}} ({{vendor}}). ',
  },
  state: {
    notInBuild: {
      dml: 'DirectML runs on Windows only.',
      coreml: 'CoreML runs on macOS only.',
      cuda: 'This build has no CUDA provider (it exists for Windows and Linux x64).',
      tensorrt: 'TensorRT needs NVIDIA TensorRT, which Glassbox does not install.',
    },
    notInBuildOther: 'Not part of this build of onnxruntime.',
    notInstalled:
      'Its library is a separate download (below); it also needs the NVIDIA driver and CUDA 12.',
    needsNvidia: 'It needs an NVIDIA GPU, and this machine has none.',
    noAdapter:
      'No GPU driver it can use was found (Vulkan on Linux, Direct3D 12 on Windows, Metal on macOS).',
    failed: 'It is installed but failed on a tiny test graph; the details say why.',
  },
  speed: {
    title: 'Speed on this machine',
    intro:
      'Test decodes a few tokens of the model selected in Models on each provider that works here, one after the other, and compares them with the CPU.',
    run: 'Test',
    running: 'Testing…',
    tokensPerSecond: 'tokens/s',
    vsCpu: 'vs CPU',
    note: 'Note',
  },
} as const
